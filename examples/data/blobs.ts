/**
 * The seed's toy data: 2-D Gaussian blobs, 100 points around (1, 1) labelled 1 and 40 around (−1, −1)
 * labelled 0, standard deviation 0.5. Deterministic for a seed.
 */
export function blobs(seed = 0): { x: number[][]; y: number[] } {
  let s = seed + 1;
  const uniform = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 100; i++) (x.push([1 + 0.5 * normal(), 1 + 0.5 * normal()]), y.push(1));
  for (let i = 0; i < 40; i++) (x.push([-1 + 0.5 * normal(), -1 + 0.5 * normal()]), y.push(0));
  return { x, y };
}
