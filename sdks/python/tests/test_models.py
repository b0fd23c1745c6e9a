import json
import pathlib
import typing
import unittest

from vitrine import models
from vitrine.operations import OPERATIONS

DOCUMENT = pathlib.Path(__file__).resolve().parents[3] / "test" / "api" / "__snapshots__" / "openapi.json"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def typed_dicts():
    return {name: value for name, value in vars(models).items() if isinstance(value, type) and hasattr(value, "__required_keys__")}


class ModelsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.document = json.loads(DOCUMENT.read_text(encoding="utf-8"))

    def test_every_annotation_resolves(self):
        for name, model in typed_dicts().items():
            with self.subTest(model=name):
                typing.get_type_hints(model)

    def test_every_object_schema_is_a_typed_dict_with_its_required_keys(self):
        dicts = typed_dicts()
        for name, schema in self.document["components"]["schemas"].items():
            with self.subTest(schema=name):
                if not schema.get("properties"):
                    self.assertTrue(hasattr(models, name))
                    continue
                model = dicts[name]
                self.assertEqual(model.__required_keys__, frozenset(schema.get("required", [])))
                self.assertEqual(model.__required_keys__ | model.__optional_keys__, frozenset(schema["properties"]))

    def test_nested_objects_and_keys_that_are_not_identifiers_are_typed(self):
        hints = typing.get_type_hints(models.MappingTemplateField)
        self.assertIn("pt-BR", typing.get_type_hints(hints["label"]))
        job = typing.get_type_hints(models.Job)
        self.assertEqual(typing.get_args(job["status"]), ("queued", "running", "completed", "failed", "cancelled"))
        self.assertIn("rows_total", typing.get_type_hints(job["progress"]))

    def test_the_operations_table_is_every_operation_of_the_document(self):
        expected = {
            operation["operationId"]: (method.upper(), path)
            for path, item in self.document["paths"].items()
            for method, operation in item.items()
            if method in HTTP_METHODS
        }
        self.assertEqual({op_id: (op.method, op.path) for op_id, op in OPERATIONS.items()}, expected)
        self.assertEqual(list(OPERATIONS), sorted(OPERATIONS))


if __name__ == "__main__":
    unittest.main()
