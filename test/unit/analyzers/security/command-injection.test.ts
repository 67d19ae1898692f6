import { describe, expect, it } from 'vitest';
import { added } from './build-input.ts';
import { hits } from './run.ts';

describe('security/command-injection', () => {
  it('flags child_process exec with built commands and shell spawns in JS/TS [+security/command-injection]', async () => {
    const file = added(
      'src/convert.ts',
      `
import { exec, execFile, spawn } from 'node:child_process';
import * as cp from 'child_process';
export function convert(file: string, format: string) {
  exec(\`convert \${file} out.\${format}\`);
  cp.execSync('tar -czf ' + file + '.tgz ' + file);
  spawn('sh', ['-c', \`ls \${file}\`]);
  spawn(command, args, { shell: true });
  execFile('convert', [file, 'out.png']);
  exec('ls -la /tmp');
  spawn('ls', ['-la', file]);
  /ab+c/.exec(file);
}
`,
    );
    expect(await hits('command-injection', file)).toEqual([
      'src/convert.ts:4:high',
      'src/convert.ts:5:high',
      'src/convert.ts:6:high',
      'src/convert.ts:7:medium',
    ]);
  });

  it('needs child_process for a bare exec call', async () => {
    const file = added(
      'src/regex.ts',
      `
export function run(exec: (s: string) => void, name: string) {
  exec(\`hello \${name}\`);
}
`,
    );
    expect(await hits('command-injection', file)).toEqual([]);
  });

  it('covers os.system, subprocess with shell=True, and sh -c lists in Python', async () => {
    const file = added(
      'app/tasks.py',
      `
import os, subprocess
def archive(path, cmd):
    os.system("tar -czf out.tgz " + path)
    subprocess.run(f"convert {path} out.png", shell=True)
    subprocess.check_output(cmd, shell=True)
    subprocess.run(["sh", "-c", f"ls {path}"])
    subprocess.run(["convert", path, "out.png"], check=True)
    subprocess.run("ls -la", shell=True)
`,
    );
    expect(await hits('command-injection', file)).toEqual([
      'app/tasks.py:3:high',
      'app/tasks.py:4:high',
      'app/tasks.py:5:medium',
      'app/tasks.py:6:high',
    ]);
  });

  it('covers Go sh -c, Java Runtime.exec and ProcessBuilder, Ruby system and backticks', async () => {
    const go = added(
      'cmd/run.go',
      `
package main

func run(ctx context.Context, dir string) {
	exec.CommandContext(ctx, "sh", "-c", "ls "+dir).Run()
	exec.Command("ls", "-la", dir).Run()
}
`,
    );
    const java = added(
      'src/main/java/app/Shell.java',
      `
class Shell {
  void run(String dir) throws Exception {
    Runtime.getRuntime().exec("ls " + dir);
    new ProcessBuilder("bash", "-c", "ls " + dir).start();
    new ProcessBuilder("ls", "-la", dir).start();
  }
}
`,
    );
    const ruby = added(
      'app/services/shell.rb',
      `
class Shell
  def run(dir)
    system("ls #{dir}")
    out = \`du -sh #{dir}\`
    system("ls", dir)
  end
end
`,
    );
    expect(await hits('command-injection', go, java, ruby)).toEqual([
      'app/services/shell.rb:3:high',
      'app/services/shell.rb:4:high',
      'cmd/run.go:4:high',
      'src/main/java/app/Shell.java:3:high',
      'src/main/java/app/Shell.java:4:high',
    ]);
  });
});
