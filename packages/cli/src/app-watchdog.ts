// Loaded (with --import) into the app process `k8s-gen synth` starts. The app ends when the CLI
// that started it ends, however it ends: when the CLI is killed (even with SIGKILL) the IPC channel
// to it closes, and this module turns that into an exit. The channel is unreferenced so that it
// never keeps a finished app alive.
const channel = (process as unknown as { channel?: { unref(): void } }).channel;
if (channel !== undefined) {
  channel.unref();
  process.on('disconnect', () => {
    process.exit(129);
  });
}
