// Vite hands a file's text to tests that import it with ?raw (used to check the README's examples).
declare module "*.md?raw" {
  const text: string;
  export default text;
}
