"""`zhengwu manage api_token USERNAME --name NAME`: create an API token and print it once.

`--list` shows the person's tokens (prefix, name, created, last used, revoked); `--revoke PREFIX`
revokes the token with that visible prefix. The command acts as the system (actor None) and is
audited like any other change."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhengwu.api import selectors, services
from zhengwu.errors import Refused
from zhengwu.org.models import Person


class Command(BaseCommand):
    help = "Create (or list / revoke) API tokens of a person; a new token is printed once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", help="what the token is for (required to create one)")
        parser.add_argument("--list", action="store_true", help="list the person's tokens")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the token with this prefix")

    def handle(self, *args, username: str, name: str | None, list: bool, revoke: str | None, **options):
        person = Person.objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"username: 人员“{username}”不存在")
        tokens = selectors.tokens_of(person)
        try:
            if list:
                for t in tokens:
                    state = f"已吊销 {t.revoked:%Y-%m-%d %H:%M}" if t.revoked else "有效"
                    used = f"{t.last_used:%Y-%m-%d %H:%M}" if t.last_used else "从未使用"
                    self.stdout.write(f"{t.prefix}…  {t.name}  创建 {t.created:%Y-%m-%d %H:%M}  最近使用 {used}  {state}")
                return
            if revoke:
                found = [t for t in tokens if t.prefix == revoke.rstrip("…").strip()]
                if len(found) != 1:
                    raise CommandError(f"--revoke: {username} 没有前缀为“{revoke}”的令牌")
                services.api_token_revoke(actor=None, token_id=found[0].pk)
                self.stdout.write(f"已吊销 {found[0].prefix}…（{found[0].name}）")
                return
            if not name:
                raise CommandError("--name: 请说明令牌用途，例如 --name 手机客户端")
            token, plaintext = services.api_token_create(actor=None, person=person, name=name)
        except Refused as e:
            raise CommandError(f"{e.field}: {e.message}" if e.field else e.message) from None
        self.stdout.write(plaintext)
        self.stderr.write(f"已为 {person}（{username}）创建令牌“{token.name}”（{token.prefix}…）。"
                          "令牌只显示这一次，请妥善保存；请求头：Authorization: Bearer <令牌>")
