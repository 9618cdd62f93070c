#ifndef SONGATLAS_CFFMPEG_SHIM_H
#define SONGATLAS_CFFMPEG_SHIM_H
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/dict.h>
#include <libavutil/channel_layout.h>

// Error codes defined by function-like macros, which Swift does not import.
static inline int songatlas_averror_eof(void) { return AVERROR_EOF; }
static inline int songatlas_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int songatlas_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int songatlas_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int64_t songatlas_nopts_value(void) { return AV_NOPTS_VALUE; }
#endif
