// wrangler.toml bundles *.csv files (the sample catalog) as binary data modules.
declare module "*.csv" {
  const bytes: ArrayBuffer;
  export default bytes;
}
