// A child process's own peak RSS, for the bench children that report it. Not
// process.resourceUsage().maxRSS (getrusage): Linux keeps ru_maxrss across execve, so a
// child spawned by a bench runner already holding 600 MiB reports 600 MiB. VmHWM is the
// high-water mark of the process's own memory since its exec.

/** An expression (ES module, top-level await) that is the child's peak RSS in MiB. */
export const PEAK_RSS_MIB = "Number((await import('node:fs')).readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\\s+(\\d+)/)[1]) / 1024";

/** The same for a Python child: an expression after `import re`. */
export const PEAK_RSS_MIB_PY = "int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) / 1024";
