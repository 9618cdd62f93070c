#ifndef SONGATLAS_CCHROMAPRINT_SHIM_H
#define SONGATLAS_CCHROMAPRINT_SHIM_H
/* Chromaprint (AcoustID's audio fingerprint), Debian libchromaprint-dev.
   Imported by Features only (Sources/Features/Fingerprinter.swift). */
#include <chromaprint.h>
#endif
