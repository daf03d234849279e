/// The OpenAPI 3 description of `/api/v1`, served at `/api/v1/openapi.json`.
/// `OpenAPITests` calls every operation listed here and checks the status codes it documents.
enum OpenAPIDocument {
    static let json = #"""
    {
      "openapi": "3.0.3",
      "info": {"title": "CivicTags resolver admin API", "version": "1.0.0",
               "description": "Registry of QR/NFC tags, the town's events, alerts and citizens' reports. Bearer tokens with scopes read < report < write < admin (report: read, and file reports through Open311)."},
      "servers": [{"url": "/api/v1"}],
      "security": [{"bearer": []}],
      "paths": {
        "/tags": {
          "get": {"summary": "List tags", "x-scope": "read",
                  "responses": {"200": {"description": "All tags", "content": {"application/json": {"schema": {"type": "object", "properties": {"tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}}}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}}},
          "post": {"summary": "Create a tag (id minted when absent)", "x-scope": "write",
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TagInput"}}}},
                   "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tag"}}}},
                                 "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
                                 "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
        },
        "/tags/{id}": {
          "parameters": [{"$ref": "#/components/parameters/TagID"}],
          "get": {"summary": "One tag", "x-scope": "read",
                  "responses": {"200": {"description": "The tag", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tag"}}}},
                                "404": {"$ref": "#/components/responses/Error"}}},
          "put": {"summary": "Replace a tag's name, place, target, schedule and notes", "x-scope": "write",
                  "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TagInput"}}}},
                  "responses": {"200": {"description": "Updated", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tag"}}}},
                                "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}},
          "delete": {"summary": "Delete a tag", "x-scope": "admin",
                     "responses": {"204": {"description": "Deleted"}, "403": {"$ref": "#/components/responses/Forbidden"},
                                   "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/tags/{id}/retarget": {
          "parameters": [{"$ref": "#/components/parameters/TagID"}],
          "post": {"summary": "Set the fallback target", "x-scope": "write",
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Target"}}}},
                   "responses": {"200": {"description": "Updated", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tag"}}}},
                                 "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
        },
        "/tags/{id}/schedule": {
          "parameters": [{"$ref": "#/components/parameters/TagID"}],
          "put": {"summary": "Replace the scheduled windows", "x-scope": "write",
                  "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["schedule"], "properties": {"schedule": {"type": "array", "items": {"$ref": "#/components/schemas/ScheduleWindow"}}}}}}},
                  "responses": {"200": {"description": "Updated", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tag"}}}},
                                "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
        },
        "/tags/{id}/disable": {
          "parameters": [{"$ref": "#/components/parameters/TagID"}],
          "post": {"summary": "Disable a tag (410 with the message); clears its schedule", "x-scope": "write",
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}}}}},
                   "responses": {"200": {"description": "Updated", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tag"}}}},
                                 "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/tags/{id}/bindings": {
          "parameters": [{"$ref": "#/components/parameters/TagID"}],
          "get": {"summary": "NFC chips and print batches carrying the tag, and what the chips' taps showed", "x-scope": "read",
                  "responses": {"200": {"description": "Bindings", "content": {"application/json": {"schema": {"type": "object", "properties": {"bindings": {"type": "array", "items": {"$ref": "#/components/schemas/Binding"}}, "chips": {"type": "array", "items": {"$ref": "#/components/schemas/ChipVerification"}}}}}}},
                                "404": {"$ref": "#/components/responses/Error"}}},
          "post": {"summary": "Record an NFC chip (kind nfc: chipUID, chipType, encodedAt, key_version) or a print batch (kind print: batchID)", "x-scope": "write",
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BindingInput"}}}},
                   "responses": {"201": {"description": "Recorded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Binding"}}}},
                                 "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
        },
        "/bindings": {
          "get": {"summary": "The tags with at least one binding of a kind (e.g. every tag printed so far)", "x-scope": "read",
                  "parameters": [{"name": "kind", "in": "query", "required": true, "schema": {"type": "string", "enum": ["print", "nfc"]}}],
                  "responses": {"200": {"description": "Tag IDs in order", "content": {"application/json": {"schema": {"type": "object", "properties": {"kind": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
                                "422": {"$ref": "#/components/responses/Error"}}},
          "post": {"summary": "Record bindings of several tags at once (e.g. every label of a print batch), all or nothing", "x-scope": "write",
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["bindings"], "properties": {"bindings": {"type": "array", "items": {"$ref": "#/components/schemas/BatchBindingInput"}}}}}}},
                   "responses": {"201": {"description": "Recorded", "content": {"application/json": {"schema": {"type": "object", "properties": {"bindings": {"type": "array", "items": {"$ref": "#/components/schemas/Binding"}}}}}}},
                                 "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
                                 "404": {"description": "A tag is not registered; nothing recorded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                                 "422": {"$ref": "#/components/responses/Error"}}}
        },
        "/import": {
          "post": {"summary": "Bulk import, all or nothing. CSV columns id,name,url[,kind,target,lat,lon,address,notes] or a JSON array of TagInput with ids", "x-scope": "write",
                   "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}}, "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/TagInput"}}}}},
                   "responses": {"201": {"description": "Imported", "content": {"application/json": {"schema": {"type": "object", "properties": {"imported": {"type": "integer"}, "ids": {"type": "array", "items": {"type": "string"}}}}}}},
                                 "422": {"description": "Rejected; nothing imported", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ImportRejected"}}}}}}
        },
        "/export.csv": {
          "get": {"summary": "Print-batch CSV: id,name,url (url = <base-url>/t/<id>) then kind,target,lat,lon,address,notes", "x-scope": "read",
                  "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}}
        },
        "/stats": {
          "get": {"summary": "Scan counts per tag, local day and channel (qr = QR or typed, nfc)", "x-scope": "read",
                  "parameters": [{"name": "tag", "in": "query", "schema": {"type": "string"}},
                                 {"name": "from", "in": "query", "schema": {"type": "string", "example": "2026-11-01"}},
                                 {"name": "to", "in": "query", "schema": {"type": "string", "example": "2026-11-30"}}],
                  "responses": {"200": {"description": "Counts", "content": {"application/json": {"schema": {"type": "object", "properties": {"counts": {"type": "array", "items": {"$ref": "#/components/schemas/ScanCount"}}, "totals": {"type": "object", "additionalProperties": {"type": "integer"}}, "reports": {"type": "array", "items": {"type": "object", "properties": {"tagID": {"type": "string"}, "category": {"type": "string"}, "status": {"type": "string"}, "count": {"type": "integer"}}}}}}}}}}}
        },
        "/inspections": {
          "get": {"summary": "Inspection rounds: verified taps by technicians signed in to the console, newest first", "x-scope": "read",
                  "parameters": [{"name": "day", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "Town-local day"},
                                 {"name": "tag", "in": "query", "schema": {"type": "string"}},
                                 {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 5000, "default": 500}}],
                  "responses": {"200": {"description": "Inspections", "content": {"application/json": {"schema": {"type": "object", "properties": {"inspections": {"type": "array", "items": {"$ref": "#/components/schemas/Inspection"}}}}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}, "422": {"$ref": "#/components/responses/Error"}}}
        },
        "/audit": {
          "get": {"summary": "Audit log, newest first", "x-scope": "admin",
                  "parameters": [{"name": "tag", "in": "query", "schema": {"type": "string"}},
                                 {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}}],
                  "responses": {"200": {"description": "Entries", "content": {"application/json": {"schema": {"type": "object", "properties": {"entries": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEntry"}}}}}}},
                                "403": {"$ref": "#/components/responses/Forbidden"}}}
        },
        "/events": {
          "get": {"summary": "Every event, cancelled ones included", "x-scope": "read",
                  "responses": {"200": {"description": "Events", "content": {"application/json": {"schema": {"type": "object", "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}}},
          "post": {"summary": "Create an event (id made up when absent); times are the town's local time", "x-scope": "write",
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventInput"}}}},
                   "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}},
                                 "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
                                 "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
        },
        "/events/{id}": {
          "parameters": [{"$ref": "#/components/parameters/CivicID"}],
          "get": {"summary": "One event", "x-scope": "read",
                  "responses": {"200": {"description": "The event", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}},
                                "404": {"$ref": "#/components/responses/Error"}}},
          "patch": {"summary": "Change the fields given (sequence rises)", "x-scope": "write",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventInput"}}}},
                    "responses": {"200": {"description": "Updated", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}},
                                  "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}},
          "delete": {"summary": "Cancel the event (kept, shown cancelled; STATUS:CANCELLED in calendars)", "x-scope": "write",
                     "responses": {"200": {"description": "Cancelled", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}},
                                   "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/alerts": {
          "get": {"summary": "Every alert (active=true: only those showing now)", "x-scope": "read",
                  "parameters": [{"name": "active", "in": "query", "schema": {"type": "boolean"}}],
                  "responses": {"200": {"description": "Alerts", "content": {"application/json": {"schema": {"type": "object", "properties": {"alerts": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}}}}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}}},
          "post": {"summary": "Publish an alert (CAP msgType Alert)", "x-scope": "write",
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertInput"}}}},
                   "responses": {"201": {"description": "Published", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Alert"}}}},
                                 "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
                                 "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
        },
        "/alerts/{id}": {
          "parameters": [{"$ref": "#/components/parameters/CivicID"}],
          "get": {"summary": "One alert", "x-scope": "read",
                  "responses": {"200": {"description": "The alert", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Alert"}}}},
                                "404": {"$ref": "#/components/responses/Error"}}},
          "patch": {"summary": "Change the fields given: a new version, same identity (CAP Update)", "x-scope": "write",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertInput"}}}},
                    "responses": {"200": {"description": "Updated", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Alert"}}}},
                                  "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}},
          "delete": {"summary": "Cancel the alert (CAP Cancel); banners go at once", "x-scope": "write",
                     "responses": {"200": {"description": "Cancelled", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Alert"}}}},
                                   "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
        },
        "/reports": {
          "get": {"summary": "Citizens' reports, newest first; the e-mail only with an admin token", "x-scope": "read",
                  "parameters": [{"$ref": "#/components/parameters/ReportStatus"}, {"$ref": "#/components/parameters/ReportCategory"},
                                 {"$ref": "#/components/parameters/ReportTag"}, {"$ref": "#/components/parameters/ReportFrom"},
                                 {"$ref": "#/components/parameters/ReportTo"}, {"$ref": "#/components/parameters/ReportNear"},
                                 {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1000}},
                                 {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}}],
                  "responses": {"200": {"description": "Reports", "content": {"application/json": {"schema": {"type": "object", "properties": {"reports": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}}}}}}},
                                "401": {"$ref": "#/components/responses/Unauthorized"}, "422": {"$ref": "#/components/responses/Error"}}}
        },
        "/reports.csv": {
          "get": {"summary": "Reports as CSV (the same filters; never e-mails)", "x-scope": "read",
                  "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}}
        },
        "/reports.geojson": {
          "get": {"summary": "Reports with a position as a GeoJSON FeatureCollection (lon, lat; never e-mails)", "x-scope": "read",
                  "responses": {"200": {"description": "GeoJSON", "content": {"application/geo+json": {"schema": {"type": "object"}}}}}}
        },
        "/reports/{id}": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "example": "r-abcd234567"}}],
          "get": {"summary": "One report; the e-mail only with an admin token", "x-scope": "read",
                  "responses": {"200": {"description": "The report", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                                "404": {"$ref": "#/components/responses/Error"}}},
          "patch": {"summary": "Triage: status (not duplicate: use merge), public note (needed to reject), team", "x-scope": "write",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {
                        "status": {"type": "string", "enum": ["new", "acknowledged", "in_progress", "resolved", "rejected"]},
                        "publicNote": {"type": "string"}, "team": {"type": "string"}}}}}},
                    "responses": {"200": {"description": "Changed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                                  "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
        },
        "/reports/{id}/merge": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
          "post": {"summary": "Mark the report a duplicate of another; its 'me too' count moves over", "x-scope": "write",
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["into"], "properties": {"into": {"type": "string"}}}}}},
                   "responses": {"200": {"description": "The report merged into", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                                 "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
        },
        "/reports/{id}/photo": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
          "delete": {"summary": "Take the photo off a report; deleted when no other report uses it", "x-scope": "write",
                     "responses": {"200": {"description": "The report without its photo", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                                   "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/reports/purge": {
          "post": {"summary": "Erase reporters' e-mails report-email-days after closing (dry_run=true only lists)", "x-scope": "admin",
                   "parameters": [{"name": "dry_run", "in": "query", "schema": {"type": "boolean"}}],
                   "responses": {"200": {"description": "The reports concerned", "content": {"application/json": {"schema": {"type": "object", "properties": {"dryRun": {"type": "boolean"}, "reports": {"type": "array", "items": {"type": "string"}}}}}}},
                                 "403": {"$ref": "#/components/responses/Forbidden"}}}
        },
        "/openapi.json": {
          "get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3 document"}}}
        }
      },
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "ct_<id>_<secret> from `tagtool token create`"}},
        "parameters": {"TagID": {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "example": "7K3M9QXF"}},
                       "ReportStatus": {"name": "status", "in": "query", "schema": {"type": "string", "example": "new,acknowledged"}},
                       "ReportCategory": {"name": "category", "in": "query", "schema": {"type": "string", "example": "litter,graffiti"}},
                       "ReportTag": {"name": "tag", "in": "query", "schema": {"type": "string"}},
                       "ReportFrom": {"name": "from", "in": "query", "schema": {"type": "string", "example": "2026-12-01"}},
                       "ReportTo": {"name": "to", "in": "query", "schema": {"type": "string", "example": "2026-12-31"}},
                       "ReportNear": {"name": "near", "in": "query", "schema": {"type": "string", "example": "50.85,4.35,500"}, "description": "lat,lon,radius_m"},
                       "CivicID": {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$", "example": "weekly-market"}}},
        "responses": {
          "Unauthorized": {"description": "No or unknown token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Forbidden": {"description": "Token scope too small", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Error": {"description": "Error with a message", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        },
        "schemas": {
          "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
          "Target": {"type": "object", "required": ["kind"], "properties": {
              "kind": {"type": "string", "enum": ["url", "page", "disabled", "stop", "place"]},
              "place": {"$ref": "#/components/schemas/PlaceInfo"},
              "url": {"type": "string", "description": "kind url: http(s) address (302)"},
              "page": {"$ref": "#/components/schemas/Page"},
              "message": {"type": "string", "description": "kind disabled: shown with 410"},
              "stop": {"type": "string", "example": "carta/1565", "description": "kind stop: <feed>/<stop_id>, live departures page"}}},
          "Page": {"type": "object", "required": ["title", "text", "links"], "properties": {
              "title": {"type": "string"}, "text": {"type": "string"},
              "links": {"type": "array", "items": {"type": "object", "properties": {"title": {"type": "string"}, "url": {"type": "string"}}}}}},
          "ScheduleWindow": {"type": "object", "required": ["from", "to", "target"], "properties": {
              "from": {"type": "string", "example": "2026-06-13T08:00", "description": "town-local time, inclusive"},
              "to": {"type": "string", "example": "2026-06-14T20:00", "description": "town-local time, exclusive"},
              "target": {"$ref": "#/components/schemas/Target"}}},
          "Place": {"type": "object", "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}, "address": {"type": "string"}}},
          "TagInput": {"type": "object", "required": ["name", "target"], "properties": {
              "id": {"type": "string"}, "name": {"type": "string"}, "place": {"$ref": "#/components/schemas/Place"},
              "target": {"$ref": "#/components/schemas/Target"},
              "schedule": {"type": "array", "items": {"$ref": "#/components/schemas/ScheduleWindow"}}, "notes": {"type": "string"}}},
          "Tag": {"type": "object", "properties": {
              "id": {"type": "string"}, "name": {"type": "string"}, "place": {"$ref": "#/components/schemas/Place"},
              "target": {"$ref": "#/components/schemas/Target"},
              "schedule": {"type": "array", "items": {"$ref": "#/components/schemas/ScheduleWindow"}}, "notes": {"type": "string"},
              "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"}}},
          "BindingInput": {"type": "object", "required": ["kind"], "properties": {
              "kind": {"type": "string", "enum": ["nfc", "print"]}, "chipUID": {"type": "string"}, "chipType": {"type": "string"},
              "encodedAt": {"type": "string", "format": "date-time"}, "batchID": {"type": "string"},
              "key_version": {"type": "integer", "minimum": 1, "maximum": 255, "description": "NTAG 424 DNA: the master key version the chip's keys come from"}}},
          "BatchBindingInput": {"type": "object", "required": ["tagID", "kind"], "properties": {
              "tagID": {"type": "string"}, "kind": {"type": "string", "enum": ["nfc", "print"]}, "chipUID": {"type": "string"},
              "chipType": {"type": "string"}, "encodedAt": {"type": "string", "format": "date-time"}, "batchID": {"type": "string"},
              "key_version": {"type": "integer", "minimum": 1, "maximum": 255, "description": "NTAG 424 DNA: the master key version the chip's keys come from"}}},
          "Binding": {"type": "object", "properties": {
              "id": {"type": "integer"}, "tagID": {"type": "string"}, "kind": {"type": "string"}, "chipUID": {"type": "string"},
              "chipType": {"type": "string"}, "encodedAt": {"type": "string", "format": "date-time"}, "batchID": {"type": "string"},
              "createdAt": {"type": "string", "format": "date-time"}, "key_version": {"type": "integer", "minimum": 1, "maximum": 255, "description": "NTAG 424 DNA: the master key version the chip's keys come from"}}},
          "ChipVerification": {"type": "object", "properties": {
              "chipUID": {"type": "string"}, "lastCounter": {"type": "integer", "description": "-1 before the first accepted tap"},
              "lastAcceptedAt": {"type": "string", "format": "date-time"}, "accepted": {"type": "integer"},
              "replays": {"type": "integer"}, "rewinds": {"type": "integer"}, "lastReplayAt": {"type": "string", "format": "date-time"},
              "badMACs": {"type": "integer"}, "wrongChips": {"type": "integer"}, "lastFailureAt": {"type": "string", "format": "date-time"}}},
          "Inspection": {"type": "object", "properties": {
              "id": {"type": "integer"}, "tagID": {"type": "string"}, "user": {"type": "string"},
              "at": {"type": "string", "format": "date-time"}, "day": {"type": "string"}, "counter": {"type": "integer"}}},
          "ScanCount": {"type": "object", "properties": {"tagID": {"type": "string"}, "day": {"type": "string"},
              "channel": {"type": "string", "enum": ["qr", "nfc"]}, "count": {"type": "integer"}}},
          "AuditEntry": {"type": "object", "properties": {"id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
              "actor": {"type": "string"}, "action": {"type": "string"}, "tagID": {"type": "string"},
              "before": {"type": "object"}, "after": {"type": "object"}}},
          "Text": {"type": "object", "description": "French and English; either may be left out", "properties": {"fr": {"type": "string"}, "en": {"type": "string"}}},
          "PlaceInfo": {"type": "object", "description": "kind place: the page's text, links, opening hours", "properties": {
              "text": {"$ref": "#/components/schemas/Text"}, "phone": {"type": "string"},
              "links": {"type": "array", "items": {"type": "object", "properties": {"title": {"type": "string"}, "url": {"type": "string"}}}},
              "hours": {"type": "object", "properties": {
                  "weekly": {"type": "object", "description": "mo…su → [\"09:00-17:00\", …]", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                  "exceptions": {"type": "array", "items": {"type": "object", "required": ["date"], "properties": {"date": {"type": "string", "example": "2026-12-25"}, "hours": {"type": "array", "items": {"type": "string"}}, "note": {"$ref": "#/components/schemas/Text"}}}}}}}},
          "EventInput": {"type": "object", "properties": {
              "id": {"type": "string"}, "title": {"$ref": "#/components/schemas/Text"}, "text": {"$ref": "#/components/schemas/Text"},
              "start": {"type": "string", "example": "2026-12-05T08:00"}, "end": {"type": "string", "example": "2026-12-05T13:00"},
              "allDay": {"type": "boolean"}, "places": {"type": "array", "items": {"type": "string"}},
              "imageURL": {"type": "string"}, "link": {"type": "string"},
              "status": {"type": "string", "enum": ["scheduled", "cancelled", "postponed", "moved"]}, "previousStart": {"type": "string"},
              "recurrence": {"type": "string", "example": "FREQ=WEEKLY;BYDAY=SA", "description": "RRULE subset; empty removes it"},
              "exceptions": {"type": "array", "items": {"type": "string"}},
              "overrides": {"type": "array", "items": {"type": "object", "required": ["occurrence"], "properties": {
                  "occurrence": {"type": "string"}, "start": {"type": "string"}, "end": {"type": "string"},
                  "status": {"type": "string"}, "title": {"$ref": "#/components/schemas/Text"}, "text": {"$ref": "#/components/schemas/Text"},
                  "places": {"type": "array", "items": {"type": "string"}}}}}}},
          "Event": {"allOf": [{"$ref": "#/components/schemas/EventInput"}, {"type": "object", "properties": {
              "sequence": {"type": "integer"}, "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"}}}]},
          "Area": {"type": "object", "properties": {
              "circles": {"type": "array", "items": {"type": "object", "properties": {"center": {"$ref": "#/components/schemas/Point"}, "radiusMeters": {"type": "number"}}}},
              "polygons": {"type": "array", "items": {"type": "object", "properties": {"points": {"type": "array", "minItems": 4, "items": {"$ref": "#/components/schemas/Point"}, "description": "closed ring: last = first"}}}}}},
          "Point": {"type": "object", "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}}},
          "AlertInput": {"type": "object", "properties": {
              "id": {"type": "string"}, "category": {"type": "string", "enum": ["traffic", "weather", "works", "water", "safety", "event"]},
              "severity": {"type": "string", "enum": ["minor", "moderate", "severe", "extreme"]},
              "headline": {"$ref": "#/components/schemas/Text"}, "description": {"$ref": "#/components/schemas/Text"},
              "instruction": {"$ref": "#/components/schemas/Text"}, "areaDescription": {"$ref": "#/components/schemas/Text"},
              "from": {"type": "string", "description": "local time or ISO 8601 with offset; default now"},
              "until": {"type": "string", "description": "local time or ISO 8601; absent or empty: open-ended"},
              "area": {"$ref": "#/components/schemas/Area"}, "tags": {"type": "array", "items": {"type": "string"}},
              "stops": {"type": "array", "items": {"type": "string", "example": "carta/1565"}},
              "routes": {"type": "array", "items": {"type": "string", "example": "carta/4"}},
              "effect": {"type": "string", "enum": ["NO_SERVICE", "REDUCED_SERVICE", "SIGNIFICANT_DELAYS", "DETOUR", "STOP_MOVED", "OTHER_EFFECT", "UNKNOWN_EFFECT"]}}},
          "Alert": {"allOf": [{"$ref": "#/components/schemas/AlertInput"}, {"type": "object", "properties": {
              "status": {"type": "string", "enum": ["active", "cancelled"]},
              "versions": {"type": "array", "items": {"type": "string", "format": "date-time"}, "description": "when each version was sent"},
              "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"}}}]},
          "Report": {"type": "object", "properties": {
              "id": {"type": "string"}, "tagID": {"type": "string"}, "category": {"type": "string"}, "description": {"type": "string"},
              "lat": {"type": "number"}, "lon": {"type": "number"}, "address": {"type": "string"},
              "photo": {"type": "string", "description": "SHA-256 of the stored photo: /photos/<sha>.jpg"},
              "email": {"type": "string", "description": "admin scope only; erased report-email-days after closing"},
              "status": {"type": "string", "enum": ["new", "acknowledged", "in_progress", "resolved", "rejected", "duplicate"]},
              "publicNote": {"type": "string"}, "team": {"type": "string"}, "duplicateOf": {"type": "string"}, "meToo": {"type": "integer"},
              "channel": {"type": "string"}, "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"},
              "closedAt": {"type": "string", "format": "date-time"}, "emailErasedAt": {"type": "string", "format": "date-time"}}},
          "ImportRejected": {"type": "object", "properties": {"error": {"type": "string"},
              "problems": {"type": "array", "maxItems": 100, "description": "The first 100 problems",
                           "items": {"type": "object", "properties": {"line": {"type": "integer"}, "id": {"type": "string"}, "reason": {"type": "string"}}}},
              "problemCount": {"type": "integer", "description": "All problems, listed or not"}}}
        }
      }
    }
    """#
}
