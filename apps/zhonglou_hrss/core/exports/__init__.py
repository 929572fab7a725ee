"""Template exports to Excel (R-KB-17), for any app.

- ``exporters``: what an app declares for one kind of export — its fields (key
  → Chinese label → value) and the rows of the user's visible, filtered list,
  read in keyset chunks so memory stays flat.
- ``registry``: the kinds the apps registered (in their ``AppConfig.ready``);
  a kind is a validated string, so a new app needs no core migration.
- ``templates``: an .xlsx whose first sheet holds header rows and then one row
  of placeholders naming fields (``{{number}}``); parsed and checked with
  Chinese errors; stored in the private uploads.
- ``writer``: streams the rows under the template's header rows.
- ``jobs``: an ``ExportJob`` run through the job queue; every finished export
  is written to the audit log.
"""
