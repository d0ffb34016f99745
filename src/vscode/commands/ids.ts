// Every command the extension contributes. A unit test keeps this list equal to package.json,
// and registry.ts registers exactly these.
export const COMMAND_IDS = ['spheron.showLogs'] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
