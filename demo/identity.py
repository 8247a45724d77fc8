"""The demo's user: a readable name instead of jupyter_server's random anonymous id.

jupyter_server names a token-authenticated browser with a fresh random id, which is what the
gallery would show as the owner of everything the demo user publishes. The demo names the user
"demo" instead; token authentication stays as it is.
"""

from jupyter_server.auth.identity import IdentityProvider, User


class DemoIdentityProvider(IdentityProvider):
    def generate_anonymous_user(self, handler) -> User:
        return User(username="demo", name="Demo analyst", display_name="Demo analyst")
