"""The month close: period lock, restatements, the internal-invoice export and reproducing a month.

`state` holds the ops tables a close freezes and the close / reopen / export actions with their
refusals; `export` writes the SIE 4I file and the invoice basis of a closed month; `reproduce`
writes a closed month's recorded inputs as a landing folder. No Dagster imports here: the assets
in `pipelines/defs/close/` and the CLI call these functions.
"""
