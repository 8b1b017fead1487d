from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.authorization_decision_decision import (
    AuthorizationDecisionDecision,
    check_authorization_decision_decision,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="AuthorizationDecision")


@_attrs_define
class AuthorizationDecision:
    """The authorization request's parameters as the app sent them, and the person's decision.

    Attributes:
        response_type (str):
        client_id (str):
        redirect_uri (str):
        code_challenge (str):
        code_challenge_method (str):
        decision (AuthorizationDecisionDecision):
        scope (None | str | Unset):
        state (None | str | Unset):
    """

    response_type: str
    client_id: str
    redirect_uri: str
    code_challenge: str
    code_challenge_method: str
    decision: AuthorizationDecisionDecision
    scope: None | str | Unset = UNSET
    state: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        response_type = self.response_type

        client_id = self.client_id

        redirect_uri = self.redirect_uri

        code_challenge = self.code_challenge

        code_challenge_method = self.code_challenge_method

        decision: str = self.decision

        scope: None | str | Unset
        if isinstance(self.scope, Unset):
            scope = UNSET
        else:
            scope = self.scope

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        else:
            state = self.state

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "response_type": response_type,
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "code_challenge": code_challenge,
                "code_challenge_method": code_challenge_method,
                "decision": decision,
            }
        )
        if scope is not UNSET:
            field_dict["scope"] = scope
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        response_type = d.pop("response_type")

        client_id = d.pop("client_id")

        redirect_uri = d.pop("redirect_uri")

        code_challenge = d.pop("code_challenge")

        code_challenge_method = d.pop("code_challenge_method")

        decision = check_authorization_decision_decision(d.pop("decision"))

        def _parse_scope(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scope = _parse_scope(d.pop("scope", UNSET))

        def _parse_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        authorization_decision = cls(
            response_type=response_type,
            client_id=client_id,
            redirect_uri=redirect_uri,
            code_challenge=code_challenge,
            code_challenge_method=code_challenge_method,
            decision=decision,
            scope=scope,
            state=state,
        )

        return authorization_decision
