import { chromiumPath } from "./harness";

export default function setup() {
  chromiumPath();
}
