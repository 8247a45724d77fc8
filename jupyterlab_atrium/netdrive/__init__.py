"""Network drives: SMB shares connected from the browser, without root."""
