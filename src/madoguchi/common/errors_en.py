"""The English twin of ``errors_ja._MESSAGES`` (same keys, same placeholders).

A key written ``type:variant`` is used where the plain one would read wrong (a date
limit, the whole body, a member); see ``errors_ja.error_message``. Catalogue-only
messages have no English: the catalogue's checks are read by staff in Japanese.
"""

MESSAGES_EN = {
    "missing": "Required.",
    "missing:root": "No situation was sent (the body is empty).",
    "extra_forbidden": "This item cannot be used (there is no item called “{key}”; check the spelling).",
    "literal_error": "Not an allowed value. Use one of: {expected}.",
    "enum": "Not an allowed value. Use one of: {expected}.",
    "bool_type": "Write true (yes) or false (no), without quotes.",
    "bool_parsing": "Write true (yes) or false (no), without quotes.",
    "int_type": "Write a whole number without quotes (e.g. 2400).",
    "int_parsing": "Write a whole number without quotes (e.g. 2400).",
    "int_from_float": "Write a whole number without quotes (e.g. 2400).",
    "string_type": "Write this as text in double quotes.",
    "list_type": "Write a list in [ ].",
    "dict_type": "Write this as an object in {{ }}.",
    "model_type": "Write this as an object in {{ }}.",
    "model_type:root": "Send the situation as a JSON object in {{ }}.",
    "model_type:member": "Write each person as an object in {{ }}.",
    "model_attributes_type": "Write this as an object in {{ }}.",
    "date_format": "Write the date as YYYY-MM-DD in double quotes (e.g. 2026-11-20).",
    "date_format:today": "Write the date as YYYY-MM-DD (e.g. 2026-11-20).",
    "date_impossible": "There is no such date as {value}.",
    "date_type": "Write the date as YYYY-MM-DD in double quotes (e.g. 2026-11-20).",
    "date_parsing": "Write the date as YYYY-MM-DD in double quotes (e.g. 2026-11-20).",
    "greater_than_equal": "Use {ge} or more.",
    "greater_than_equal:date": "Use a date on or after {ge}.",
    "less_than_equal": "Use {le} or less.",
    "less_than_equal:date": "Use a date on or before {le}.",
    "greater_than": "Use more than {gt}.",
    "less_than": "Use less than {lt}.",
    "too_short": "At least {min_length} are needed.",
    "too_long": "No more than {max_length}.",
    "too_long:members": "No more than {max_length} people.",
    "string_too_short": "This cannot be empty.",
    "json_invalid": "Cannot be read as JSON (line {line}, column {column}): {reason}.",
    "json_invalid:bare": "Cannot be read as JSON.",
    "json_constant": "{value} is not allowed in JSON; write a number or null.",
    "json_too_deep": "The JSON is nested too deeply to read.",
    "duplicate_key": "“{key}” is written more than once; write each item once.",
    "not_utf8": "Save the text as UTF-8 (Shift_JIS or UTF-16 cannot be read).",
    "body_missing": "No situation was sent (the body is empty).",
    "too_large": "The data sent is too large (the limit is {limit}).",
    "bad_request": "The request could not be read.",
    "birth_after_event": "This date is later than the {event_date}.",
    "birth_too_old": "This date is {years} or more years ago; please check it.",
    "self_twice": "Only one person can be “you” (self).",
    "deceased_without_death": "“The deceased” can be chosen only when the life event is a death.",
    "unknown": "This value cannot be used.",
    "card_no_service": (
        "The card reader service (pcscd) is not running. Restart the computer or ask "
        "the administrator to start pcscd."
    ),
    "card_no_reader": "No card reader found. Check that the reader's cable is plugged into the computer.",
    "card_reader_unknown": "Card reader “{reader}” not found. Readers connected: {readers}.",
    "card_no_card": "There is no card on the reader. Place the My Number card on it and read again.",
    "card_pin_format": (
        "Enter the PIN as 4 digits. It was not sent to the card, so no try was used."
    ),
    "card_wrong_pin": (
        "Wrong PIN. {tries_left} more wrong tries lock the card. Check with the card "
        "holder and enter it again."
    ),
    "card_wrong_pin_last": (
        "Wrong PIN. One more wrong try locks the card and it can no longer be used at the "
        "counter. If the holder cannot remember it, do not try again: guide them to reset "
        "the PIN at the municipal office."
    ),
    "card_blocked": (
        "The card's PIN for reading the four facts is locked after too many wrong tries. "
        "The holder must have it reset at the counter; until then, type the four facts by hand."
    ),
    "card_removed": "The card left the reader during the read. Place it again and read again.",
    "card_transmit": (
        "Communication with the card failed. Place it again and read again (if it keeps "
        "failing, reconnect the reader)."
    ),
    "card_in_use": "Another program is using the card. Close it and read again.",
    "card_data": "The card's data could not be read correctly ({detail}). Read again; if it keeps failing, type the facts by hand.",
    "card_not_mynumber": (
        "This does not seem to be a My Number card (no card-input-helper application; the "
        "card answered {sw}). Check the card on the reader."
    ),
    "card_status": "The card gave an unexpected answer ({step}: {sw}). Place it again and read again.",
    "card_token_invalid": (
        "The permission to read is invalid or has expired. Press “Read the card” again on the counter page."
    ),
    "card_visit_closed": "This visit is finished or cancelled; the card's facts were not stored.",
    "card_facts_invalid": "The four facts received from the card are not in the right form ({detail}). Read again.",
    "agent_origin": "This page cannot use the card reader (only the permitted madoguchi pages can).",
    "agent_bad_request": "The read request is not in the right form.",
    "agent_busy": "Another read is in progress. Press again when it has finished.",
    "agent_server_unreachable": (
        "Could not reach the madoguchi server ({server}). Check the network and read again."
    ),
    "agent_server_refused": "The server did not accept the facts read: {why}",
}

# Python's json module explains a syntax error in English; these are said plainly.
JSON_REASONS_EN = {
    "Expecting value": "a value is missing or misspelt",
    "Expecting ',' delimiter": "a comma is missing",
    "Expecting ':' delimiter": "a colon is missing after an item's name",
    "Expecting property name enclosed in double quotes": (
        "an item's name must be in double quotes (or there is a comma too many)"
    ),
    "Unterminated string starting at": "a text is missing its closing double quote",
    "Invalid control character at": "a text contains a line break or tab",
    "Invalid \\escape": "a backslash is used wrongly",
    "Invalid \\uXXXX escape": "a backslash is used wrongly",
    "Extra data": "there is more after the end of the JSON",
}
