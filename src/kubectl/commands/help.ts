// kubectl's help text (k8s.io/kubectl/pkg/util/templates): the summary,
// examples, subcommands, options and usage of a command; the grouped
// command list for `kubectl` alone.
import type { FlagSpec } from '../shell/flags';
import type { Command } from './command';
import { GROUPS } from './index';

function flagHelp(f: FlagSpec): string {
  const short = f.shorthand ? `-${f.shorthand}, ` : '';
  const def = f.type === 'string' ? `'${f.default ?? ''}'` : (f.default ?? (f.type === 'bool' ? 'false' : '0'));
  return `    ${short}--${f.name}=${def}:\n\t${f.usage}\n`;
}

export function commandHelp(cmd: Command, path: string): string {
  let out = `${cmd.short}.\n\n`;
  if (cmd.examples?.length) out += `Examples:\n  ${cmd.examples.join('\n  \n  ')}\n\n`;
  if (cmd.subcommands?.length) {
    const width = Math.max(...cmd.subcommands.map((s) => s.name.length)) + 2;
    out += `Available Commands:\n${cmd.subcommands.map((s) => `  ${s.name.padEnd(Math.max(width, 14))}${s.short}`).join('\n')}\n\n`;
  }
  const flags = [...cmd.flags].sort((a, b) => (a.name < b.name ? -1 : 1));
  if (flags.length) out += `Options:\n${flags.map(flagHelp).join('\n')}\n`;
  out += `Usage:\n  ${cmd.usage}\n\n`;
  if (cmd.subcommands?.length) out += `Use "kubectl ${path} <command> --help" for more information about a given command.\n`;
  out += 'Use "kubectl options" for a list of global command-line options (applies to all commands).\n';
  return out;
}

export function rootHelp(all: readonly Command[]): string {
  let out = 'kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n';
  for (const g of GROUPS) {
    const cmds = all.filter((c) => c.group === g);
    if (cmds.length === 0) continue;
    out += `${g}:\n${cmds.map((c) => `  ${c.name.padEnd(16)}${c.short}`).join('\n')}\n\n`;
  }
  out += 'Usage:\n  kubectl [flags] [options]\n\n';
  out += 'Use "kubectl <command> --help" for more information about a given command.\n';
  out += 'Use "kubectl options" for a list of global command-line options (applies to all commands).\n';
  return out;
}
