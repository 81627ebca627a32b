import type { Client } from '@colyseus/core';

/** The part of a `ws` WebSocket this needs: its TCP socket. */
interface WithSocket {
  _socket?: { cork(): void; uncork(): void; destroyed?: boolean };
}

/**
 * Corks the TCP socket under every client's WebSocket and answers the function that uncorks
 * them: whatever is sent in between (a tick's `combat` messages, its patch) leaves in one write
 * per client instead of one per frame. `ws` corks around each frame itself; Node counts corks,
 * so those writes wait for this outer one. Clients on another transport are left alone.
 */
export function corkSockets(clients: Iterable<Client>): () => void {
  const corked: NonNullable<WithSocket['_socket']>[] = [];
  for (const client of clients) {
    const socket = (client.ref as WithSocket | undefined)?._socket;
    if (!socket || socket.destroyed) continue;
    socket.cork();
    corked.push(socket);
  }
  return () => {
    for (const socket of corked) socket.uncork();
  };
}
