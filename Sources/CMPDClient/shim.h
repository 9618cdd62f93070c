#ifndef SONGATLAS_CMPDCLIENT_SHIM_H
#define SONGATLAS_CMPDCLIENT_SHIM_H
#include <mpd/client.h>

/* mpd_send_command is variadic, which Swift cannot call: MPD's "config"
   command (the music directory; answered on a local socket only). */
static inline bool songatlas_mpd_send_config(struct mpd_connection *connection) {
    return mpd_send_command(connection, "config", NULL);
}
#endif
