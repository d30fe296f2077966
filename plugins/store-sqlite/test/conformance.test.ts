import { describeStoreConformance } from "@echelon/testing";
import { SqliteEventStore } from "../src/index.js";
import { tempDb } from "./helpers.js";

describeStoreConformance("sqlite (file)", () => new SqliteEventStore({ path: tempDb() }), {
  reopen: (closed) => new SqliteEventStore({ path: (closed as SqliteEventStore).path }),
});

describeStoreConformance(
  "sqlite (full sync, batches of 7)",
  () => new SqliteEventStore({ path: tempDb(), synchronous: "full", batchSize: 7 }),
);

describeStoreConformance("sqlite (:memory:)", () => new SqliteEventStore({ path: ":memory:" }));
