"""The API's marshmallow schemas, one module per noun: they validate what comes in, shape what
goes out, and are the OpenAPI description (flask-smorest reads them)."""
