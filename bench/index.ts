/**
 * `npm run bench`: every benchmark in one run. Each one prints its own table and ratios against
 * baselines measured in the same process. The jobs-pipeline benchmark will be added here.
 */
import { runEngineBench } from "./engine";

await runEngineBench();
