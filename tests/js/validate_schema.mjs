// The second judge of the schema contract (tests/test_schema_contract.py): ajv, an
// independent JSON Schema 2020-12 validator with ECMA-262 ("u" flag) regular expressions.
//
// stdin:  {"today": "YYYY-MM-DD", "schemas": {"<id>": schema, ...}, "cases": [["<id>", instance], ...]}
// stdout: [true | false, ...], one verdict per case, in order.
//
// sitegen's published vocabulary is taught to ajv as documented in docs/forms.md:
// x-sitegen-type, x-sitegen-messages, x-sitegen-routing, x-sitegen-languages and x-sitegen-translations
// are annotations; x-sitegen-date is past|future
// relative to "today" (on or before / on or after), for strings shaped YYYY-MM-DD (the
// keyword's pattern refuses anything else).
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const input = JSON.parse(readFileSync(0, "utf8"));
const ajv = new Ajv2020({ strict: true, allErrors: false, validateFormats: true });
addFormats(ajv);
ajv.addKeyword({ keyword: "x-sitegen-type", schemaType: "string" });
ajv.addKeyword({ keyword: "x-sitegen-messages", schemaType: "object" });
ajv.addKeyword({ keyword: "x-sitegen-routing", schemaType: "string" });
// A site of several languages (docs/forms.md): the languages' paths, and each language's words.
ajv.addKeyword({ keyword: "x-sitegen-languages", schemaType: "object" });
ajv.addKeyword({ keyword: "x-sitegen-translations", schemaType: "object" });
ajv.addKeyword({
  keyword: "x-sitegen-date",
  schemaType: "string",
  type: "string",
  validate: (rule, value) => !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)
    || (rule === "past" ? value <= input.today : rule === "future" ? value >= input.today : true),
});

const compiled = Object.fromEntries(Object.entries(input.schemas).map(([id, schema]) => [id, ajv.compile(schema)]));
const verdicts = input.cases.map(([id, instance]) => compiled[id](instance) === true);
process.stdout.write(JSON.stringify(verdicts));
