import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';

// Loaded into the Node-RED process with NODE_OPTIONS=--require (which
// does not take --cpu-prof): profiles the whole process and writes a
// .cpuprofile to SQX3_BENCH_PROFILE_DIR when it exits. The in-process
// inspector session answers synchronously, so the exit handler can stop
// the profiler and write the file.

const dir = process.env.SQX3_BENCH_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `node-red-${process.pid}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
