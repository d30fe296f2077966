// The task of the pool benchmark, as a workerAgent module: one sha256 of the input.
import { createHash } from "node:crypto";

export default function hash(work) {
  return createHash("sha256").update(String(work.input)).digest("hex");
}
