import ast
import pathlib
import unittest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "vitrine"


class CompatibilityTest(unittest.TestCase):
    def test_the_package_parses_as_python_3_9(self):
        # The tests may run on a newer Python; parsing with 3.9's grammar catches newer statements
        # such as `match` (best effort: not every later addition is checked).
        for source in sorted(PACKAGE.glob("*.py")):
            with self.subTest(file=source.name):
                ast.parse(source.read_text(encoding="utf-8"), filename=str(source), feature_version=(3, 9))

    def test_no_union_operator_outside_postponed_annotations(self):
        # `X | Y` between types fails at runtime on 3.9; annotations are fine where they are postponed.
        for source in sorted(PACKAGE.glob("*.py")):
            text = source.read_text(encoding="utf-8")
            if "from __future__ import annotations" in text:
                continue
            tree = ast.parse(text)
            annotations = [node.annotation for node in ast.walk(tree) if isinstance(node, (ast.arg, ast.AnnAssign)) and node.annotation]
            annotations += [node.returns for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.returns]
            for annotation in annotations:
                with self.subTest(file=source.name, line=annotation.lineno):
                    self.assertFalse(any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.BitOr) for n in ast.walk(annotation)))


if __name__ == "__main__":
    unittest.main()
