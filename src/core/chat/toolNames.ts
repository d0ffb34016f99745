// Kept apart from chatTools.ts so the activation shell can register the tools without loading zod.
/** Tool names, as contributed in package.json (`contributes.languageModelTools`). */
export const CHAT_TOOL_NAMES = [
  'spheron_findOffers',
  'spheron_listInstances',
  'spheron_balance',
  'spheron_deploy',
  'spheron_terminate',
  'spheron_startJupyter',
] as const;
export type ChatToolName = (typeof CHAT_TOOL_NAMES)[number];
