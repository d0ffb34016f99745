// Messages of the deploy form (webview `deploy`). See protocol.ts for the envelope.
import * as z from 'zod/mini';
import type { DeployFormValues } from '../core/deploy/deployForm';
import { AUTHENTICATION_CONFIG_MAX_BYTES } from '../core/deploy/kubernetesAddonForm';
import { list, offerSchema, sshKeySchema, teamSchema, volumeSchema } from './domainSchemas';
import { defineFormProtocol, formMessageParsers, type SameShape } from './formProtocol';
import { emptyArgsSchema, nullResultSchema, submitStateSchema } from './protocol';
import type { HostMessage, ParseResult, WebviewMessage } from './protocol';

const shortText = (max: number) => z.string().check(z.maxLength(max));

export const sshKeyChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('registered'), keyId: z.string().check(z.minLength(1)) }),
  z.object({ kind: z.literal('public-key'), publicKey: shortText(16 * 1024) }),
]);

/** The deploy form's values, with `cap(max)` for each free text's length. */
function deployFormFields(cap: (max: number) => ReturnType<typeof shortText>) {
  return z.object({
    name: cap(200),
    region: cap(500),
    operatingSystem: cap(500),
    sshKey: sshKeyChoiceSchema,
    volumeIds: list(z.string()).check(z.maxLength(50)),
    packages: cap(64 * 1024),
    commands: cap(64 * 1024),
    kubernetesAddon: z.optional(
      z.object({
        enabled: z.boolean(),
        version: cap(50),
        // UTF-16 units never outnumber UTF-8 bytes: the core's byte limit refuses the rest.
        authenticationConfig: z.optional(cap(AUTHENTICATION_CONFIG_MAX_BYTES)),
      }),
    ),
  });
}

export const deployFormSchema = deployFormFields(shortText);

/** How much text a draft kept in the webview's own state may hold in one field. */
export const DEPLOY_DRAFT_TEXT_MAX = 1024 * 1024;

/**
 * The form as a draft in the webview's state (setState/getState). A field over its sending cap
 * is kept as typed, the form showing its error, so a reload does not start the form over.
 */
export const deployDraftSchema = deployFormFields(() => shortText(DEPLOY_DRAFT_TEXT_MAX));

/** The add-on's versions and cost, for offers that can carry it. */
export const kubernetesAddonInitSchema = z.object({
  versions: list(z.string()),
  costPerHour: z.number().check(z.gte(0)),
  versionsNote: z.optional(z.string()),
});

/** A local public key as the form shows it (the host reads `~/.ssh`). */
export const localKeySchema = z.object({
  path: z.string(),
  type: z.string(),
  family: z.enum(['ed25519', 'ecdsa', 'rsa']),
  fingerprint: z.string(),
  comment: z.string(),
  /** `type blob comment`, what would be uploaded or sent as `ssh_public_key`. */
  publicKey: z.string(),
  hasPrivateKey: z.boolean(),
  /** The registered key that is this key, if any. */
  registeredKeyId: z.nullable(z.string()),
});
export type LocalKeyMessage = z.output<typeof localKeySchema>;

/** The ssh-keygen command the form shows before the user agrees to run it. */
export const keygenPlanSchema = z.object({ command: z.string(), keyPath: z.string() });

/** A key ssh-keygen just wrote, and its registration (null, with the reason, when that failed). */
export const createdKeySchema = z.object({
  local: localKeySchema,
  registered: z.nullable(sshKeySchema),
  registrationError: z.nullable(z.string()),
});
export type CreatedKeyMessage = z.output<typeof createdKeySchema>;

/** Another instance of the team, for the duplicate-name warning and the created one's status. */
export const namedInstanceSchema = z.object({
  id: z.string(),
  name: z.nullable(z.string()),
  status: z.string(),
});

export const deployInitSchema = z.object({
  sessionId: z.string().check(z.minLength(1)),
  offer: offerSchema,
  group: z.object({ gpuType: z.string(), displayName: z.string() }),
  team: teamSchema,
  /** USD; null when it could not be loaded. */
  balance: z.nullable(z.number()),
  /** What the team burns now (USD per hour), as the status bar computes it. */
  burnPerHour: z.number().check(z.gte(0)),
  /** The offer's minimum runtime, or Spheron's default of 20. */
  minimumRuntimeMinutes: z.number(),
  keys: list(sshKeySchema),
  localKeys: list(localKeySchema),
  /** Null when a local key exists (nothing to create). */
  keygen: z.nullable(keygenPlanSchema),
  volumes: list(volumeSchema),
  /** The team's instances (id, name, status). */
  instances: list(namedInstanceSchema),
  suggestedName: z.string(),
  submitState: submitStateSchema,
  /** The form of this session's last submit, so a reopened panel shows what was sent. */
  submittedForm: z.nullable(deployFormSchema),
  /** Null (or absent) when the offer cannot carry the Kubernetes add-on. */
  kubernetesAddon: z.optional(z.nullable(kubernetesAddonInitSchema)),
});
export type DeployInit = z.output<typeof deployInitSchema>;

export const deployUpdateSchema = z.object({
  balance: z.optional(z.nullable(z.number())),
  burnPerHour: z.optional(z.number().check(z.gte(0))),
  keys: z.optional(list(sshKeySchema)),
  localKeys: z.optional(list(localKeySchema)),
  keygen: z.optional(z.nullable(keygenPlanSchema)),
  volumes: z.optional(list(volumeSchema)),
  instances: z.optional(list(namedInstanceSchema)),
});
export type DeployUpdate = z.output<typeof deployUpdateSchema>;

export const deployProtocol = defineFormProtocol({
  name: 'deploy',
  submitMethod: 'submitDeploy',
  form: deployFormSchema,
  init: deployInitSchema,
  update: deployUpdateSchema,
  requests: {
    /** Registers a local public key with Spheron; answers the registered key. */
    uploadLocalKey: { params: z.object({ path: z.string().check(z.minLength(1)) }), result: sshKeySchema },
    /** Runs the shown ssh-keygen command (the user confirmed in the form), then registers the key. */
    createLocalKey: { params: emptyArgsSchema, result: createdKeySchema },
    /** Reloads balance, keys and volumes; they arrive as an `update`. */
    refresh: { params: emptyArgsSchema, result: nullResultSchema },
  },
  commands: {
    /** Reveals the created deployment in the Instances view. */
    showDeployment: z.object({ deploymentId: z.string().check(z.minLength(1)) }),
    /** Shows the Instances view, refreshed (while a create is unconfirmed). */
    showInstances: emptyArgsSchema,
  },
});
export type DeployProtocol = typeof deployProtocol;
export type DeployWebviewMessage = WebviewMessage<DeployProtocol>;
export type DeployHostMessage = HostMessage<DeployProtocol>;

const parsers = formMessageParsers(deployProtocol);
export const parseDeployWebviewMessage: (raw: unknown) => ParseResult<DeployWebviewMessage> = parsers.webview;
export const parseDeployHostMessage: (raw: unknown) => ParseResult<DeployHostMessage> = parsers.host;

// The form schema and the core form type must stay the same shape.
const formMatchesCore: SameShape<z.output<typeof deployFormSchema>, DeployFormValues> = true;
const draftMatchesCore: SameShape<z.output<typeof deployDraftSchema>, DeployFormValues> = true;
void formMatchesCore;
void draftMatchesCore;
