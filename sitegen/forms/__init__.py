"""Forms and triage: definitions in forms/*.yaml turned into pages and JSON Schemas.

    model.py       the dataclasses and conditions
    spec.py        the keys of the YAML files (schema Records)
    loader.py      one form file, with located problems
    triage.py      forms/triage.yaml and its graph checks
    bundle.py      every form and the tree, and site.yaml links into them
    schema.py      a form compiled to JSON Schema 2020-12
    rules.py       a form compiled to the rules forms.js checks with
    submission.py  a posted form as the answers document; a validator
    fields.py      questions as govuk-frontend-jinja macro parameters
    outputs.py     the pages and files, and their renderers
"""
