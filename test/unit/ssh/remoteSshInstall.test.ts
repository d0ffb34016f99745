import * as assert from 'node:assert/strict';
import { remoteSshInstallFailure } from '../../../src/core/ssh/remoteSsh';

describe('ssh/remoteSsh: a failed Remote - SSH install', () => {
  it('says the marketplace is unreachable, names it, and offers the terminal; the raw error goes to the log only', () => {
    const error = new Error(
      'getaddrinfo ENOTFOUND open-vsx.org\n    at GetAddrInfoReqWrap.onlookup (node:dns:107:26)',
    );
    const failure = remoteSshInstallFailure(error);
    assert.equal(
      failure.message,
      'Remote - SSH could not be installed: the extension marketplace (open-vsx.org) cannot be reached from here. You can work on the instance in an SSH terminal instead, or install Remote - SSH once the marketplace is reachable.',
    );
    assert.doesNotMatch(failure.message, /getaddrinfo|ENOTFOUND|Connect failed/);
    assert.equal(
      failure.logDetail,
      'Installing ms-vscode-remote.remote-ssh failed: getaddrinfo ENOTFOUND open-vsx.org',
    );
    assert.doesNotMatch(failure.logDetail, /\n\s+at /);
  });

  it('other network failures read the same, without a host name', () => {
    for (const text of ['connect ETIMEDOUT 104.18.1.1:443', 'XHR failed', 'read ECONNRESET']) {
      assert.match(
        remoteSshInstallFailure(new Error(text)).message,
        /: the extension marketplace cannot be reached from here\./,
        text,
      );
    }
  });

  it('a refusal by the marketplace is quoted on one line', () => {
    const failure = remoteSshInstallFailure(
      new Error("Extension 'ms-vscode-remote.remote-ssh' not found.\nmore"),
    );
    assert.match(
      failure.message,
      /: the extension marketplace said “Extension 'ms-vscode-remote\.remote-ssh' not found\.”\. /,
    );
    assert.match(remoteSshInstallFailure('').message, /: the install did not finish\./);
  });
});
