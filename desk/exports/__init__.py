"""Downloads of the desk's records (XLSX and CSV): what each export holds, and the page that lists them."""
