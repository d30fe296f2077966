import { EchelonError, silentLogger } from "@echelon/core";
import { assertJsonSerializable } from "@echelon/core/plugin";
import { AdapterErrorCode } from "./errors.js";
import type { RegisteredTool } from "./tool.js";
import { isToolResponse, type ToolResponse, toolFailure, toolSuccess } from "./tool-response.js";

/**
 * Runs one tool call: checks the arguments against the tool's compiled schema, runs the
 * handler, checks the result is JSON. Never throws.
 *
 * @param registered - the tool and its compiled schema
 * @param args - the arguments
 * @param signal - handed to the handler
 * @returns the handler's response, or a failed one coded `ECHELON_TOOL_ARGUMENTS_INVALID`,
 * `ECHELON_TOOL_RESULT_NOT_SERIALIZABLE`, `ECHELON_TOOL_FAILED` or the handler's EchelonError code
 * @internal
 */
export async function runToolCall(
  registered: RegisteredTool,
  args: unknown,
  signal: AbortSignal,
): Promise<ToolResponse> {
  const { tool, parameters } = registered;
  const name = tool.name;
  const issues = parameters.check(args);
  if (issues.length > 0) {
    return toolFailure(
      new EchelonError(
        AdapterErrorCode.TOOL_ARGUMENTS_INVALID,
        `Arguments of tool "${name}" are invalid: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}.`,
        { details: { tool: name, issues } },
      ),
    );
  }
  let response: ToolResponse;
  try {
    if (signal.aborted) throw signal.reason;
    const answer = await tool.handler(args, { signal, logger: silentLogger });
    response = isToolResponse(answer) ? answer : toolSuccess(answer);
  } catch (error) {
    return toolFailure(error, AdapterErrorCode.TOOL_FAILED);
  }
  try {
    assertJsonSerializable(response, `result of tool "${name}"`);
  } catch (error) {
    return toolFailure(
      new EchelonError(
        AdapterErrorCode.TOOL_RESULT_NOT_SERIALIZABLE,
        `Tool "${name}" returned data that is not JSON (${(error as Error).message}). Return plain objects, arrays, strings, finite numbers, booleans or null.`,
        { details: { tool: name }, cause: error },
      ),
    );
  }
  return response;
}
