// SSH keys, balance and teams.
import type { SimCore } from './core';
import type { ApiResponse, RequestContext } from './http';
import { fail, isRecord, notFound, ok } from './http';
import { PublicKeyError, parsePublicKey } from './openssh';
import { balanceToWire, sshKeyToWire, teamToWire } from './wire';

export function listSshKeys(core: SimCore): ApiResponse {
  const keys = [...core.state.sshKeys.values()]
    .sort((a, b) => b.createdAtMs - a.createdAtMs)
    .map((k) => sshKeyToWire(k, core.config));
  return ok(core.config.listShape === 'wrapped' ? { data: keys } : keys);
}

export function getSshKey(core: SimCore, ctx: RequestContext): ApiResponse {
  const key = core.state.sshKeys.get(ctx.params.id);
  return key ? ok(sshKeyToWire(key, core.config)) : notFound('SSH key');
}

export function createSshKey(core: SimCore, ctx: RequestContext): ApiResponse {
  const body = ctx.body;
  if (!isRecord(body)) {
    return fail(400, 'Validation error', 'Request body must be a JSON object with name and publicKey');
  }
  const { name, publicKey, teamId } = body;
  if (typeof name !== 'string' || name.trim() === '') {
    return fail(400, 'Validation error', 'name is required');
  }
  if (name.length > 100) {
    return fail(400, 'Validation error', 'name must be at most 100 characters');
  }
  if (typeof publicKey !== 'string' || publicKey.trim() === '') {
    return fail(400, 'Validation error', 'publicKey is required');
  }
  if (teamId !== undefined && (typeof teamId !== 'string' || !core.state.team(teamId))) {
    return fail(403, 'Forbidden', 'You do not have access to this team');
  }
  let parsed;
  try {
    parsed = parsePublicKey(publicKey);
  } catch (error) {
    if (error instanceof PublicKeyError) {
      return fail(400, 'Invalid SSH public key', error.message);
    }
    throw error;
  }
  const id = core.state.newId(ctx.nowMs);
  const record = {
    id,
    teamId: typeof teamId === 'string' ? teamId : core.state.currentTeam().id,
    name: name.trim(),
    fingerprint: parsed.fingerprint,
    publicKey: publicKey.trim(),
    createdAtMs: ctx.nowMs,
  };
  core.state.sshKeys.set(id, record);
  return ok(sshKeyToWire(record, core.config), 201);
}

export function deleteSshKey(core: SimCore, ctx: RequestContext): ApiResponse {
  if (!core.state.sshKeys.delete(ctx.params.id)) {
    return notFound('SSH key');
  }
  return ok({ success: true });
}

export function getBalance(core: SimCore): ApiResponse {
  return ok(balanceToWire(core.state.teams));
}

export function listTeams(core: SimCore): ApiResponse {
  return ok(core.state.teams.map((t) => teamToWire(t, core.config)));
}
