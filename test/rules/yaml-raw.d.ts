// Vite's `?raw` suffix imports a file as a string; the built-in rule packs are loaded that way in tests.
declare module "*.yaml?raw" {
  const source: string;
  export default source;
}
