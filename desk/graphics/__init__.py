"""Server-drawn SVG: the province and regency maps, the compliance chart, and the looks they share."""
