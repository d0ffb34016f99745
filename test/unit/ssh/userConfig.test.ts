import * as assert from 'node:assert/strict';
import { InvalidSshSettingError, MalformedMarkersError } from '../../../src/core/ssh/errors';
import {
  BEGIN_MARKER,
  END_MARKER,
  ensureIncludeBlock,
  includeDirective,
  locateInclude,
  moveIncludeBlockToTop,
  removeIncludeBlock,
  userHostNames,
  userIncludes,
  type IncludeContext,
} from '../../../src/core/ssh/userConfig';

const context: IncludeContext = {
  file: '/home/me/.ssh/config',
  ourConfigPath: '/home/me/.ssh/spheron/config',
  homeDir: '/home/me',
};
const INCLUDE = 'Include "/home/me/.ssh/spheron/config"';
const BLOCK_LF = `${BEGIN_MARKER}\n${INCLUDE}\n${END_MARKER}\n`;

function ensure(text: string | Buffer | null) {
  return ensureIncludeBlock(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, context);
}

describe('ssh/userConfig', () => {
  it('creates the block for a missing or empty file', () => {
    assert.equal(ensure(null).content.toString(), BLOCK_LF);
    const edit = ensure('');
    assert.equal(edit.content.toString(), BLOCK_LF);
    assert.equal(edit.action, 'added');
    assert.equal(edit.status.state, 'at-top');
  });

  it('puts the block above everything and keeps every original byte', () => {
    const user =
      '# my hosts\nHost *\n  StrictHostKeyChecking no\n\nMatch all\n  User me\nInclude other.conf\n';
    const edit = ensure(user);
    assert.equal(edit.content.toString(), BLOCK_LF + user);
    assert.equal(edit.status.state, 'at-top');
  });

  it('uses CRLF when the file does, and keeps a missing final newline', () => {
    const user = 'Host a\r\n  User x';
    const edit = ensure(user);
    assert.equal(edit.content.toString(), `${BEGIN_MARKER}\r\n${INCLUDE}\r\n${END_MARKER}\r\n${user}`);
  });

  it('keeps a BOM first and inserts after it', () => {
    const user = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Host a\n')]);
    const edit = ensure(user);
    assert.deepEqual(edit.content.subarray(0, 3), Buffer.from([0xef, 0xbb, 0xbf]));
    assert.equal(edit.content.subarray(3).toString(), `${BLOCK_LF}Host a\n`);
  });

  it('keeps bytes that are not valid UTF-8, and writes a non-ASCII path as UTF-8', () => {
    const latin1 = Buffer.from([0x23, 0x20, 0xe9, 0x0a, 0x48, 0x6f, 0x73, 0x74, 0x20, 0x78, 0x0a]); // "# é\nHost x\n" in latin1
    const unicodeContext = {
      ...context,
      ourConfigPath: '/home/jürgen/.ssh/spheron/config',
      homeDir: '/home/jürgen',
    };
    const edit = ensureIncludeBlock(latin1, unicodeContext);
    assert.equal(edit.content.subarray(edit.content.length - latin1.length).equals(latin1), true);
    assert.match(edit.content.toString('utf8'), /Include "\/home\/jürgen\/\.ssh\/spheron\/config"/);
    // and the next run recognises it
    assert.equal(ensureIncludeBlock(edit.content, unicodeContext).changed, false);
  });

  it('changes nothing when the block is already right', () => {
    const user = `${BLOCK_LF}Host a\n`;
    const edit = ensure(user);
    assert.equal(edit.changed, false);
    assert.equal(edit.content.toString(), user);
  });

  it('rewrites only the inside of a stale block, in place', () => {
    const user = `# top\r\n${BEGIN_MARKER}\r\nInclude "/old/path"\r\n${END_MARKER}\r\nHost a\r\n`;
    const edit = ensure(user);
    assert.equal(edit.action, 'updated');
    assert.equal(
      edit.content.toString(),
      `# top\r\n${BEGIN_MARKER}\r\n${INCLUDE}\r\n${END_MARKER}\r\nHost a\r\n`,
    );
  });

  it('recognises an Include the user added by hand (absolute, ~ and relative)', () => {
    for (const line of [
      INCLUDE,
      'Include ~/.ssh/spheron/config',
      'include=spheron/config',
      'Include a.conf "~/.ssh/spheron/config"',
    ]) {
      const edit = ensure(`${line}\nHost a\n`);
      assert.equal(edit.changed, false, line);
      assert.equal(edit.status.state, 'at-top', line);
      assert.equal(edit.status.state === 'at-top' && edit.status.location.marked, false);
    }
  });

  it('leaves a block below comments alone (already first for ssh)', () => {
    const user = `# header\n\n   # more\n${BLOCK_LF}Host a\n`;
    const edit = ensure(user);
    assert.equal(edit.changed, false);
    assert.equal(edit.status.state, 'at-top');
  });

  it('does not move a block below directives, and reports where it is', () => {
    const user = `User global\nHost build\n  HostName 10.0.0.1\n${BLOCK_LF}`;
    const edit = ensure(user);
    assert.equal(edit.changed, false);
    assert.equal(edit.status.state, 'not-at-top');
    if (edit.status.state === 'not-at-top') {
      assert.deepEqual(
        edit.status.location.directivesAbove.map((line) => line.number),
        [1, 2, 3],
      );
      assert.deepEqual(edit.status.location.enclosingSection, { number: 2, text: 'Host build' });
      assert.equal(edit.status.location.firstLine, 4);
      assert.equal(edit.status.location.includeLine, 5);
    }
  });

  it('reports an Include under a Match line as enclosed by it, the last Host or Match above winning', () => {
    const user = `Host build\n  User b\nMatch host x\n  User me\n${BLOCK_LF}`;
    const status = ensure(user).status;
    assert.equal(status.state, 'not-at-top');
    assert.deepEqual(status.state === 'not-at-top' && status.location.enclosingSection, {
      number: 3,
      text: 'Match host x',
    });
    const global = locateInclude(Buffer.from(`User global\n${BLOCK_LF}`), context);
    assert.equal(global.state === 'not-at-top' && global.location.enclosingSection, undefined);
  });

  it('removes a bare Include of our file written by hand, and only that line', () => {
    const user = `Host a\n  User x\nInclude ~/.ssh/spheron/config\nInclude other.conf\nHost b\n`;
    const removed = removeIncludeBlock(Buffer.from(user), context);
    assert.equal(removed.changed, true);
    assert.equal(removed.content.toString(), 'Host a\n  User x\nInclude other.conf\nHost b\n');
    const status = locateInclude(Buffer.from(user), context);
    assert.equal(status.state, 'not-at-top');
    if (status.state === 'not-at-top') {
      assert.equal(status.location.marked, false);
      assert.equal(status.location.firstLine, 3);
      assert.equal(status.location.lastLine, 3);
      assert.equal(status.location.includeLine, 3);
      assert.deepEqual(status.location.userLines, []);
    }
    const untouched = Buffer.from('Host a\nInclude other.conf\n');
    assert.deepEqual(removeIncludeBlock(untouched, context), { content: untouched, changed: false });
  });

  it('moves the block to the top only when asked to', () => {
    const user = `User global\n${BLOCK_LF}Host a\n`;
    const moved = moveIncludeBlockToTop(Buffer.from(user), context);
    assert.equal(moved.changed, true);
    assert.equal(moved.content.toString(), `${BLOCK_LF}User global\nHost a\n`);
    assert.equal(moveIncludeBlockToTop(moved.content, context).changed, false);
  });

  it('removes exactly the block', () => {
    const user = `${BLOCK_LF}Host a\n`;
    assert.equal(removeIncludeBlock(ensure('Host a\n').content, context).content.toString(), 'Host a\n');
    assert.equal(removeIncludeBlock(Buffer.from(user), context).changed, true);
    assert.equal(removeIncludeBlock(Buffer.from('Host a\n'), context).changed, false);
  });

  describe('damaged markers', () => {
    const cases: [string, string, number[], number[]][] = [
      ['duplicated begin', `${BEGIN_MARKER}\n${INCLUDE}\n${BEGIN_MARKER}\n${END_MARKER}\n`, [1, 3], [4]],
      ['duplicated block', `${BLOCK_LF}Host a\n${BLOCK_LF}`, [1, 5], [3, 7]],
      ['begin only', `Host a\n${BEGIN_MARKER}\n${INCLUDE}\n`, [2], []],
      ['end only', `${INCLUDE}\n${END_MARKER}\n`, [], [2]],
      ['reversed', `${END_MARKER}\n${INCLUDE}\n${BEGIN_MARKER}\n`, [3], [1]],
    ];
    for (const [title, text, begins, ends] of cases) {
      it(`refuses: ${title}`, () => {
        assert.throws(
          () => ensure(text),
          (error: unknown) => {
            assert.ok(error instanceof MalformedMarkersError);
            assert.deepEqual(error.beginLines, begins);
            assert.deepEqual(error.endLines, ends);
            assert.match(error.message, /\/home\/me\/\.ssh\/config/);
            assert.match(error.message, /Nothing was written/);
            return true;
          },
        );
        assert.throws(() => locateInclude(Buffer.from(text), context), MalformedMarkersError);
      });
    }
  });

  describe('the ~ form, exact markers and user text between them', () => {
    const tilde: IncludeContext = { ...context, tildeHome: '/home/me' };
    const TILDE_BLOCK = `${BEGIN_MARKER}\nInclude "~/.ssh/spheron/config"\n${END_MARKER}\n`;

    it('writes the Include in the ~ form when our file is under the home ssh expands ~ to', () => {
      const edit = ensureIncludeBlock(Buffer.from('Host a\n'), tilde);
      assert.equal(edit.content.toString(), `${TILDE_BLOCK}Host a\n`);
      assert.equal(ensureIncludeBlock(edit.content, tilde).changed, false);
    });

    it('accepts an existing absolute Include of our file without rewriting it (dotfiles)', () => {
      const text = Buffer.from(`${BLOCK_LF}Host a\n`);
      const edit = ensureIncludeBlock(text, tilde);
      assert.equal(edit.changed, false);
      assert.equal(edit.content, text);
      // and the other way round: a ~ block seen by a window that would write the absolute form
      assert.equal(ensureIncludeBlock(Buffer.from(TILDE_BLOCK), context).changed, false);
    });

    it('treats only the exact marker lines as markers', () => {
      const user = '# >>> spheron-vscode notes: my GPU boxes\nHost a\n#   <<< spheron-vscode old\n';
      const edit = ensure(user);
      assert.equal(edit.action, 'added');
      assert.equal(edit.content.toString(), BLOCK_LF + user);
      assert.equal(ensure(edit.content).changed, false);
    });

    it('keeps and reports lines a user put between the markers', () => {
      const text = `${BEGIN_MARKER}\n# my note\n${INCLUDE}\n  ServerAliveInterval 5\n${END_MARKER}\nHost a\n`;
      const edit = ensure(text);
      assert.equal(edit.changed, false);
      const status = edit.status;
      assert.ok(status.state === 'at-top');
      assert.deepEqual(status.location.userLines, [
        { number: 2, text: '# my note' },
        { number: 4, text: '  ServerAliveInterval 5' },
      ]);
      // a stale Include is replaced in place; the user's lines stay
      const stale = `${BEGIN_MARKER}\n# my note\nInclude "/old/place"\n${END_MARKER}\n`;
      assert.equal(
        ensure(stale).content.toString(),
        `${BEGIN_MARKER}\n# my note\n${INCLUDE}\n${END_MARKER}\n`,
      );
      // removing our block leaves the user's lines where they were
      assert.equal(
        removeIncludeBlock(Buffer.from(text), context).content.toString(),
        '# my note\n  ServerAliveInterval 5\nHost a\n',
      );
    });

    it('removes the block byte-exactly: the file is what it was before the block was added', () => {
      const original = Buffer.from('\u00ef\u00bb\u00bf# mine\r\nHost a\r\n  User x', 'latin1');
      const added = ensureIncludeBlock(original, tilde).content;
      assert.notDeepEqual(added, original);
      assert.deepEqual(removeIncludeBlock(added, tilde).content, original);
    });

    it('lists the literal Host names of the user config, outside our block', () => {
      const names = userHostNames(
        `${BEGIN_MARKER}\n${INCLUDE}\n${END_MARKER}\nHost spheron-mybox work\n  User me\nHost *.corp spheron-* !x\nHost="Spheron-Other"\n`,
      );
      assert.deepEqual([...names.keys()], ['spheron-mybox', 'work', 'spheron-other']);
      assert.deepEqual(names.get('spheron-mybox'), { number: 4, text: 'Host spheron-mybox work' });
    });
  });

  describe('edge cases each check is there for', () => {
    it('uses the ~ form only for a path under the home, whatever slashes end the home', () => {
      const ours = '/home/me/.ssh/spheron/config';
      assert.equal(includeDirective(ours, '/home/me//'), 'Include "~/.ssh/spheron/config"');
      assert.equal(includeDirective(ours, '/'), `Include "${ours}"`, 'the root is no home');
      assert.equal(includeDirective(ours, ''), `Include "${ours}"`);
      assert.equal(includeDirective('/srv/spheron/config', '/home/me'), 'Include "/srv/spheron/config"');
      assert.equal(includeDirective('/home/meta/config', '/home/me'), 'Include "/home/meta/config"');
    });

    it('writes a % in our path as it is (Include expands no tokens) and refuses a wildcard', () => {
      assert.equal(includeDirective('/home/me/100%/config'), 'Include "/home/me/100%/config"');
      assert.throws(
        () => includeDirective('/home/me/spheron*/config'),
        (error: unknown) =>
          error instanceof InvalidSshSettingError &&
          /^The setting Spheron SSH config path \(/.test(error.message),
      );
    });

    it('names what is damaged about the markers', () => {
      const problem = (text: string) => {
        try {
          locateInclude(Buffer.from(text), context);
        } catch (error) {
          return error instanceof MalformedMarkersError ? error.problem : String(error);
        }
        return 'no error';
      };
      assert.equal(problem(`${BEGIN_MARKER}\n${BEGIN_MARKER}\n${END_MARKER}\n`), 'duplicated');
      assert.equal(problem(`${BEGIN_MARKER}\n${END_MARKER}\n${END_MARKER}\n`), 'duplicated');
      assert.equal(problem(`${BEGIN_MARKER}\n${INCLUDE}\n`), 'unbalanced');
      assert.equal(problem(`${END_MARKER}\n${BEGIN_MARKER}\n`), 'out-of-order');
    });

    it('reports a missing file, and an empty block of ours, as such', () => {
      assert.deepEqual(locateInclude(null, context), { state: 'missing' });
      const empty = `${BEGIN_MARKER}\n${END_MARKER}\nHost a\n`;
      const status = locateInclude(Buffer.from(empty), context);
      assert.ok(status.state === 'at-top');
      assert.equal(status.location.marked, true);
      assert.equal(status.location.includeLine, undefined);
      assert.equal(ensure(empty).content.toString(), `${BLOCK_LF}Host a\n`);
    });

    it('recognises an Include of our file by its Windows drive path', () => {
      const windows: IncludeContext = {
        file: 'C:\\Users\\me\\.ssh\\config',
        ourConfigPath: 'C:\\Users\\me\\.ssh\\spheron\\config',
        homeDir: 'C:\\Users\\me',
      };
      const status = locateInclude(Buffer.from('Include C:/Users/me/.ssh/spheron/config\n'), windows);
      assert.equal(status.state, 'at-top');
      assert.equal(status.state === 'at-top' && status.location.marked, false);
    });

    it("lists the user's own Include arguments, not ours, nor Host names inside our block", () => {
      assert.deepEqual(userIncludes(null), []);
      const text = `${BEGIN_MARKER}\n${INCLUDE}\nHost sneaky\n${END_MARKER}\nInclude work.conf ~/.ssh/more\nHost mine\n`;
      assert.deepEqual(userIncludes(text), ['work.conf', '~/.ssh/more']);
      assert.deepEqual([...userHostNames(text).keys()], ['mine']);
    });
  });
});
