"""Indicators with their measurements, and recording a measurement."""

from marshmallow import fields

from app.api.fields import Day, Measured, StoredNumber, StrictSchema, Text, UtcDateTime


class MeasurementSchema(StrictSchema):
    id = fields.Integer(required=True)
    measured_on = fields.Date(required=True)
    value = StoredNumber(required=True, allow_none=True)
    note = fields.String(required=True)
    created_at = UtcDateTime(required=True)


class IndicatorSchema(StrictSchema):
    id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    code = fields.String(required=True, allow_none=True)
    name = fields.String(required=True)
    unit = fields.String(required=True)
    description = fields.String(required=True)
    baseline_value = StoredNumber(required=True, allow_none=True)
    baseline_date = fields.Date(required=True, allow_none=True)
    target_value = StoredNumber(required=True, allow_none=True)
    target_date = fields.Date(required=True, allow_none=True)
    measurements = fields.List(fields.Nested(MeasurementSchema), required=True)


class IndicatorListSchema(StrictSchema):
    indicators = fields.List(fields.Nested(IndicatorSchema), required=True)


class MeasurementCreateSchema(StrictSchema):
    value = Measured(required=True)
    measured_on = Day(required=True)
    note = Text(2000)
