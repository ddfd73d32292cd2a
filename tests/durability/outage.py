"""Database outages for the tests: a TCP proxy in front of PostgreSQL that can be cut and
restored on the same port, and a SQLite file that can be put out of reach and back."""

import contextlib
import os
import shutil
import socket
import threading

from sqlalchemy.engine import make_url


class Proxy:
    """127.0.0.1:<port> → the database server; ``cut`` closes every connection and stops
    listening (as a database that went down), ``restore`` listens again on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.lock = threading.Lock()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(32)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        if self.listener is not None:  # shutdown wakes the thread blocked in accept()
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def url(self, url: str) -> str:
        return make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(False)


class SqliteOutage:
    """The database file moved aside and a directory put in its place: no connection can
    open it (a file made unreadable does not stop root). An open SQLite connection keeps
    its file, so the pool's connections are closed too (``dispose``), as a lost disk would."""

    def __init__(self, url: str, dispose) -> None:
        self.path = make_url(url).database or ""
        self.aside = self.path + ".aside"
        self.dispose = dispose

    def cut(self) -> None:
        self.dispose()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.path + suffix):
                os.replace(self.path + suffix, self.aside + suffix)
        os.mkdir(self.path)

    def restore(self) -> None:
        shutil.rmtree(self.path)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.aside + suffix):
                os.replace(self.aside + suffix, self.path + suffix)
