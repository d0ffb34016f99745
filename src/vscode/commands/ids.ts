// Every command the extension contributes. A unit test keeps this list equal to package.json,
// and registry.ts registers exactly these.
export const COMMAND_IDS = [
  'spheron.signIn',
  'spheron.signOut',
  'spheron.switchTeam',
  'spheron.openDashboard',
  'spheron.showLogs',
  'spheron.refresh',
  'spheron.offers.refresh',
  'spheron.offers.filter',
  'spheron.offers.clearFilters',
  'spheron.instances.refresh',
  'spheron.instances.showEnded',
  'spheron.instances.hideEnded',
  'spheron.volumes.refresh',
  'spheron.instance.connect',
  'spheron.instance.copySshCommand',
  'spheron.instance.openTerminal',
  'spheron.instance.openJupyter',
  'spheron.instance.openTensorBoard',
  'spheron.tunnel.stop',
  'spheron.ssh.check',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
