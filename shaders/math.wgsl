// Helpers every kernel shares. (Formulas are not written here: the WGSL of every activation, loss,
// metric and optimizer rule is generated from its expression, src/expr/emit-wgsl.ts.)

// 1-D dispatches wider than 65,535 workgroups are folded into (x, y) or (x, y, z) (KernelRunner.grid1d):
// the linear invocation id.
fn linear_id(gid: vec3u, nwg: vec3u, wg_size: u32) -> u32 {
  return gid.x + (gid.y + gid.z * nwg.y) * nwg.x * wg_size;
}
