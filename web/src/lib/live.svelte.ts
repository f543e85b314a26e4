/** The live connection to /api/live, as reactive state the screens read. */
export class LiveConnection {
  connected = $state(false);
  #socket: WebSocket | null = null;

  open(path = '/api/live') {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}${path}`);
    this.#socket = socket;
    socket.onopen = () => (this.connected = true);
    socket.onclose = () => (this.connected = false);
  }

  close() {
    this.#socket?.close();
  }
}
