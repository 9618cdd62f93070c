#ifndef SONGATLAS_CSNDFILE_SHIM_H
#define SONGATLAS_CSNDFILE_SHIM_H
#include <sndfile.h>
#endif
