// Preloaded into an app with NODE_OPTIONS=--import when BENCH_CPU_PROF=1 (Node refuses --cpu-prof in
// NODE_OPTIONS): profiles the whole process with the in-process inspector and writes a .cpuprofile
// to BENCH_CPU_PROF_FILE on exit. The inspector answers synchronously, so an exit handler suffices.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import process from 'node:process';

const file = process.env.BENCH_CPU_PROF_FILE;
if (file) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
