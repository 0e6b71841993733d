"""Loaded by tests that put this folder on PYTHONPATH: any network connection fails loudly."""

import socket


def _refuse(*args, **kwargs):
    raise OSError("network access attempted during a pressexport build")


socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
