// Links from the Spheron dashboard, a README or a teammate that open VS Code on an instance or a
// deploy form: `vscode://spheron-community.spheron-vscode/connect?deployment=<id>[&team=<id>]`.
// A link is data from the internet: every parameter is checked here, unknown ones are refused, and
// nothing is acted on before the user has confirmed what the link names.
import type { Deployment, TeamBalance } from '../domain/types';
import { formatRate } from '../model/format';
import { instanceLabel } from '../model/instances';

export type DeepLink =
  | { readonly action: 'connect'; readonly deploymentId: string; readonly teamId?: string }
  | { readonly action: 'open-jupyter'; readonly deploymentId: string; readonly teamId?: string }
  | {
      readonly action: 'deploy';
      readonly provider: string;
      readonly offerId: string;
      readonly teamId?: string;
    };

export type DeepLinkAction = DeepLink['action'];

/** A link refused before anything happened; its message says why, in words for the user. */
export class DeepLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeepLinkError';
  }
}

// Ids are API ids (24-hex ObjectIds, offer ids such as `es-h100-8-x1::spot`): letters, digits and
// a few separators. Anything else (spaces, slashes, quotes, control characters) is refused.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const PROVIDER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const PARAMETERS: Readonly<
  Record<DeepLinkAction, { required: readonly string[]; optional: readonly string[] }>
> = {
  connect: { required: ['deployment'], optional: ['team'] },
  'open-jupyter': { required: ['deployment'], optional: ['team'] },
  deploy: { required: ['offer', 'provider'], optional: ['team'] },
};

/** Parameter names that would mean someone put a credential in a link. */
const CREDENTIAL_NAMES = /key|token|secret|password|auth/i;

/** The paths a link may have, as written in a link. */
export const DEEP_LINK_ACTIONS = Object.keys(PARAMETERS) as DeepLinkAction[];

function isAction(value: string): value is DeepLinkAction {
  return Object.hasOwn(PARAMETERS, value);
}

/** At most this many characters are quoted back from a refused link. */
function quoted(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return `“${clean.length > 40 ? `${clean.slice(0, 40)}…` : clean}”`;
}

/**
 * The action a link asks for, from the URI's path (`/connect`) and query
 * (`deployment=…&team=…`). Throws DeepLinkError for an unknown path, a missing, repeated, empty or
 * malformed parameter, and any parameter the path does not take.
 */
export function parseDeepLink(path: string, query: string): DeepLink {
  const name = path.replace(/^\/+/, '').replace(/\/+$/, '');
  if (!isAction(name)) {
    throw new DeepLinkError(
      `This Spheron link asks for ${quoted(name || '/')}, which the extension does not know. Links can open: ${DEEP_LINK_ACTIONS.join(', ')}.`,
    );
  }
  const { required, optional } = PARAMETERS[name];
  const allowed = new Set([...required, ...optional]);
  const values = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(query)) {
    if (!allowed.has(key)) {
      if (CREDENTIAL_NAMES.test(key)) {
        throw new DeepLinkError(
          `This Spheron link carries a parameter ${quoted(key)}. Links never carry an API key or token; the link was refused. Sign in with Spheron: Sign In instead.`,
        );
      }
      throw new DeepLinkError(
        `This Spheron link has an unknown parameter ${quoted(key)}, so it was refused. A ${name} link takes only: ${[...allowed].join(', ')}.`,
      );
    }
    if (values.has(key)) {
      throw new DeepLinkError(`This Spheron link gives ${quoted(key)} twice, so it was refused.`);
    }
    const pattern = key === 'provider' ? PROVIDER_PATTERN : ID_PATTERN;
    if (!pattern.test(value)) {
      throw new DeepLinkError(
        value === ''
          ? `This Spheron link has an empty ${quoted(key)}, so it was refused.`
          : `This Spheron link's ${quoted(key)} is not a Spheron id (${quoted(value)}), so it was refused.`,
      );
    }
    values.set(key, value);
  }
  const missing = required.filter((key) => !values.has(key));
  if (missing.length > 0) {
    throw new DeepLinkError(`This Spheron ${name} link lacks ${missing.map(quoted).join(' and ')}.`);
  }
  const team = values.get('team');
  const teamPart = team === undefined ? {} : { teamId: team };
  if (name === 'deploy') {
    return { action: name, provider: values.get('provider')!, offerId: values.get('offer')!, ...teamPart };
  }
  return { action: name, deploymentId: values.get('deployment')!, ...teamPart };
}

/**
 * The link to an instance, for a README or a teammate: `<scheme>://<extensionId>/connect?…`.
 * It names the instance and its team, nothing else (never a key).
 */
export function instanceLink(options: {
  readonly scheme: string;
  readonly extensionId: string;
  readonly deploymentId: string;
  readonly teamId?: string;
  readonly action?: 'connect' | 'open-jupyter';
}): string {
  const query = new URLSearchParams({ deployment: options.deploymentId });
  if (options.teamId) {
    query.set('team', options.teamId);
  }
  return `${options.scheme}://${options.extensionId}/${options.action ?? 'connect'}?${query.toString()}`;
}

/** The team the link names, checked against the teams this key can see. */
export function linkTeam(
  link: DeepLink,
  teams: readonly TeamBalance[],
  current: TeamBalance | undefined,
): { readonly team: TeamBalance; readonly switchFrom?: TeamBalance } | undefined {
  if (link.teamId === undefined) {
    return undefined;
  }
  const team = teams.find((candidate) => candidate.teamId === link.teamId);
  if (!team) {
    throw new DeepLinkError(
      `This Spheron link is for a team your API key is not a member of (${quoted(link.teamId)}). Ask the team's owner to invite you, or sign in with that team's key.`,
    );
  }
  return team.teamId === current?.teamId ? { team } : { team, switchFrom: current };
}

export interface LinkConfirmation {
  readonly message: string;
  readonly detail: string;
  readonly button: string;
}

/**
 * The question asked before a link acts on an instance:
 * "Open a Remote-SSH window on h100-finetune, running, $2.91/h?"
 */
export function instanceLinkConfirmation(
  action: 'connect' | 'open-jupyter',
  deployment: Pick<Deployment, 'id' | 'name' | 'status' | 'rawStatus' | 'hourlyRate'>,
  team?: { readonly team: TeamBalance; readonly switchFrom?: TeamBalance },
): LinkConfirmation {
  const name = instanceLabel(deployment);
  const status = deployment.status === 'unknown' ? deployment.rawStatus || 'unknown' : deployment.status;
  const what = action === 'connect' ? 'Open a Remote-SSH window on' : 'Open Jupyter on';
  const details = ['A link asked for this.'];
  if (team?.switchFrom) {
    details.push(
      `It switches the Spheron team from “${team.switchFrom.teamName}” to “${team.team.teamName}”.`,
    );
  } else if (team) {
    details.push(`Team “${team.team.teamName}”.`);
  }
  if (deployment.status === 'deploying') {
    details.push('The instance is still deploying: VS Code waits until it runs.');
  }
  return {
    message: `${what} ${name}, ${status}, ${formatRate(deployment.hourlyRate)}?`,
    detail: details.join(' '),
    button: action === 'connect' ? 'Connect' : 'Open Jupyter',
  };
}

/** Why a link's instance cannot be opened, or undefined when it can (now or once deployed). */
export function instanceLinkRefusal(
  deployment: Pick<Deployment, 'id' | 'name' | 'status' | 'rawStatus'>,
): string | undefined {
  const name = instanceLabel(deployment);
  if (deployment.status === 'running' || deployment.status === 'deploying') {
    return undefined;
  }
  if (deployment.status === 'stopped') {
    return `The link's instance “${name}” is stopped; start it from the Spheron dashboard first.`;
  }
  return `The link's instance “${name}” is ${deployment.rawStatus || deployment.status} and cannot be opened.`;
}
