"""Renderings of the canonical model (terminal today; HTML/DOCX/XLSX/PDF later)."""
