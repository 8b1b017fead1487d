"""Contains all the data models used in inputs/outputs"""

from .access_token import AccessToken
from .account import Account
from .account_balances import AccountBalances
from .account_create import AccountCreate
from .account_create_kind import AccountCreateKind
from .account_export import AccountExport
from .account_export_elsewhere import AccountExportElsewhere
from .account_kind import AccountKind
from .account_list import AccountList
from .account_registered import AccountRegistered
from .account_update import AccountUpdate
from .api_key import ApiKey
from .api_key_create import ApiKeyCreate
from .api_key_create_scopes_type_0_item import ApiKeyCreateScopesType0Item
from .api_key_created import ApiKeyCreated
from .api_key_list import ApiKeyList
from .authorization_decision import AuthorizationDecision
from .authorization_decision_decision import AuthorizationDecisionDecision
from .authorization_redirect import AuthorizationRedirect
from .authorization_request_info import AuthorizationRequestInfo
from .authorized_app import AuthorizedApp
from .authorized_app_list import AuthorizedAppList
from .balances import Balances
from .body import Body
from .body_create_token import BodyCreateToken
from .budget import Budget
from .budget_set import BudgetSet
from .callback_ack import CallbackAck
from .callback_ack_outcome import CallbackAckOutcome
from .claim import Claim
from .claim_approval import ClaimApproval
from .claim_create import ClaimCreate
from .claim_list import ClaimList
from .claim_status import ClaimStatus
from .claim_verification import ClaimVerification
from .claim_verified_by_type_0 import ClaimVerifiedByType0
from .click import Click
from .click_create import ClickCreate
from .click_list import ClickList
from .close_progress import CloseProgress
from .commission_update import CommissionUpdate
from .creator_profile import CreatorProfile
from .data_schema import DataSchema
from .dead_letter import DeadLetter
from .dead_letter_detail import DeadLetterDetail
from .dead_letter_list import DeadLetterList
from .dead_letter_replay import DeadLetterReplay
from .deposit import Deposit
from .deposit_create import DepositCreate
from .deposit_create_method import DepositCreateMethod
from .deposit_create_sandbox_type_0 import DepositCreateSandboxType0
from .deposit_list import DepositList
from .deposit_method import DepositMethod
from .deposit_quote import DepositQuote
from .deposit_quote_method import DepositQuoteMethod
from .deposit_quote_request import DepositQuoteRequest
from .deposit_quote_request_method import DepositQuoteRequestMethod
from .deposit_sandbox_type_0 import DepositSandboxType0
from .deposit_status import DepositStatus
from .email_addressed import EmailAddressed
from .email_verification_create import EmailVerificationCreate
from .email_verified import EmailVerified
from .entry_posting import EntryPosting
from .event_type_info import EventTypeInfo
from .event_type_list import EventTypeList
from .export_statement_csv_kind_type_0 import ExportStatementCsvKindType0
from .fee_difference import FeeDifference
from .fee_difference_kind import FeeDifferenceKind
from .fee_difference_object import FeeDifferenceObject
from .fee_reconciliation import FeeReconciliation
from .fee_total import FeeTotal
from .field_error import FieldError
from .get_statement_format import GetStatementFormat
from .get_statement_kind_type_0 import GetStatementKindType0
from .journal_entry import JournalEntry
from .jwk import Jwk
from .jwk_set import JwkSet
from .ledger_account_balance import LedgerAccountBalance
from .ledger_account_balance_type import LedgerAccountBalanceType
from .list_payouts_status_type_0 import ListPayoutsStatusType0
from .list_refunds_status_type_0 import ListRefundsStatusType0
from .list_transfers_direction import ListTransfersDirection
from .list_webhook_messages_status_type_0 import ListWebhookMessagesStatusType0
from .mail_accepted import MailAccepted
from .money import Money
from .non_profit_update import NonProfitUpdate
from .o_auth_client import OAuthClient
from .o_auth_client_client_type import OAuthClientClientType
from .o_auth_client_create import OAuthClientCreate
from .o_auth_client_create_client_type import OAuthClientCreateClientType
from .o_auth_client_create_scopes_type_0_item import OAuthClientCreateScopesType0Item
from .o_auth_client_created import OAuthClientCreated
from .o_auth_client_created_client_type import OAuthClientCreatedClientType
from .o_auth_client_list import OAuthClientList
from .outbox_backlog import OutboxBacklog
from .partition_count import PartitionCount
from .password_changed import PasswordChanged
from .password_reset_complete import PasswordResetComplete
from .payout import Payout
from .payout_create import PayoutCreate
from .payout_create_sandbox_type_0 import PayoutCreateSandboxType0
from .payout_list import PayoutList
from .payout_sandbox_type_0 import PayoutSandboxType0
from .payout_status import PayoutStatus
from .period import Period
from .period_list import PeriodList
from .period_state import PeriodState
from .period_status import PeriodStatus
from .period_status_status import PeriodStatusStatus
from .period_totals import PeriodTotals
from .person_create import PersonCreate
from .person_registered import PersonRegistered
from .positive_money import PositiveMoney
from .problem import Problem
from .public_supporter import PublicSupporter
from .public_thing import PublicThing
from .receive_sandbox_callback_body import ReceiveSandboxCallbackBody
from .reconciled_order import ReconciledOrder
from .reconciled_order_object import ReconciledOrderObject
from .reconciled_order_outcome import ReconciledOrderOutcome
from .reconciled_order_provider_status_type_0 import ReconciledOrderProviderStatusType0
from .reconciliation import Reconciliation
from .refund import Refund
from .refund_create import RefundCreate
from .refund_create_sandbox_type_0 import RefundCreateSandboxType0
from .refund_list import RefundList
from .refund_sandbox_type_0 import RefundSandboxType0
from .refund_status import RefundStatus
from .revocation_request import RevocationRequest
from .scope_description import ScopeDescription
from .seal_marker import SealMarker
from .seal_result import SealResult
from .server_metadata import ServerMetadata
from .session_create import SessionCreate
from .session_tokens import SessionTokens
from .sign_in_export import SignInExport
from .signing_key_info import SigningKeyInfo
from .signing_key_rotation import SigningKeyRotation
from .statement import Statement
from .statement_line import StatementLine
from .statement_line_direction import StatementLineDirection
from .subscription import Subscription
from .subscription_create import SubscriptionCreate
from .subscription_create_periods import SubscriptionCreatePeriods
from .subscription_list import SubscriptionList
from .suspension_create import SuspensionCreate
from .thing import Thing
from .thing_claim_status import ThingClaimStatus
from .thing_click import ThingClick
from .thing_click_list import ThingClickList
from .thing_counts import ThingCounts
from .thing_create import ThingCreate
from .thing_list import ThingList
from .thing_update import ThingUpdate
from .transfer import Transfer
from .transfer_create import TransferCreate
from .transfer_list import TransferList
from .transfer_status import TransferStatus
from .trial_balance import TrialBalance
from .trial_balance_line import TrialBalanceLine
from .trial_balance_line_type import TrialBalanceLineType
from .trial_balance_total import TrialBalanceTotal
from .webhook_attempt import WebhookAttempt
from .webhook_attempt_list import WebhookAttemptList
from .webhook_attempt_outcome import WebhookAttemptOutcome
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_create import WebhookEndpointCreate
from .webhook_endpoint_created import WebhookEndpointCreated
from .webhook_endpoint_list import WebhookEndpointList
from .webhook_endpoint_update import WebhookEndpointUpdate
from .webhook_message import WebhookMessage
from .webhook_message_list import WebhookMessageList
from .webhook_message_status import WebhookMessageStatus
from .webhook_recover_request import WebhookRecoverRequest
from .webhook_recovery import WebhookRecovery
from .webhook_secret_rotation import WebhookSecretRotation

__all__ = (
    "AccessToken",
    "Account",
    "AccountBalances",
    "AccountCreate",
    "AccountCreateKind",
    "AccountExport",
    "AccountExportElsewhere",
    "AccountKind",
    "AccountList",
    "AccountRegistered",
    "AccountUpdate",
    "ApiKey",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyCreateScopesType0Item",
    "ApiKeyList",
    "AuthorizationDecision",
    "AuthorizationDecisionDecision",
    "AuthorizationRedirect",
    "AuthorizationRequestInfo",
    "AuthorizedApp",
    "AuthorizedAppList",
    "Balances",
    "Body",
    "BodyCreateToken",
    "Budget",
    "BudgetSet",
    "CallbackAck",
    "CallbackAckOutcome",
    "Claim",
    "ClaimApproval",
    "ClaimCreate",
    "ClaimList",
    "ClaimStatus",
    "ClaimVerification",
    "ClaimVerifiedByType0",
    "Click",
    "ClickCreate",
    "ClickList",
    "CloseProgress",
    "CommissionUpdate",
    "CreatorProfile",
    "DataSchema",
    "DeadLetter",
    "DeadLetterDetail",
    "DeadLetterList",
    "DeadLetterReplay",
    "Deposit",
    "DepositCreate",
    "DepositCreateMethod",
    "DepositCreateSandboxType0",
    "DepositList",
    "DepositMethod",
    "DepositQuote",
    "DepositQuoteMethod",
    "DepositQuoteRequest",
    "DepositQuoteRequestMethod",
    "DepositSandboxType0",
    "DepositStatus",
    "EmailAddressed",
    "EmailVerificationCreate",
    "EmailVerified",
    "EntryPosting",
    "EventTypeInfo",
    "EventTypeList",
    "ExportStatementCsvKindType0",
    "FeeDifference",
    "FeeDifferenceKind",
    "FeeDifferenceObject",
    "FeeReconciliation",
    "FeeTotal",
    "FieldError",
    "GetStatementFormat",
    "GetStatementKindType0",
    "JournalEntry",
    "Jwk",
    "JwkSet",
    "LedgerAccountBalance",
    "LedgerAccountBalanceType",
    "ListPayoutsStatusType0",
    "ListRefundsStatusType0",
    "ListTransfersDirection",
    "ListWebhookMessagesStatusType0",
    "MailAccepted",
    "Money",
    "NonProfitUpdate",
    "OAuthClient",
    "OAuthClientClientType",
    "OAuthClientCreate",
    "OAuthClientCreateClientType",
    "OAuthClientCreated",
    "OAuthClientCreatedClientType",
    "OAuthClientCreateScopesType0Item",
    "OAuthClientList",
    "OutboxBacklog",
    "PartitionCount",
    "PasswordChanged",
    "PasswordResetComplete",
    "Payout",
    "PayoutCreate",
    "PayoutCreateSandboxType0",
    "PayoutList",
    "PayoutSandboxType0",
    "PayoutStatus",
    "Period",
    "PeriodList",
    "PeriodState",
    "PeriodStatus",
    "PeriodStatusStatus",
    "PeriodTotals",
    "PersonCreate",
    "PersonRegistered",
    "PositiveMoney",
    "Problem",
    "PublicSupporter",
    "PublicThing",
    "ReceiveSandboxCallbackBody",
    "ReconciledOrder",
    "ReconciledOrderObject",
    "ReconciledOrderOutcome",
    "ReconciledOrderProviderStatusType0",
    "Reconciliation",
    "Refund",
    "RefundCreate",
    "RefundCreateSandboxType0",
    "RefundList",
    "RefundSandboxType0",
    "RefundStatus",
    "RevocationRequest",
    "ScopeDescription",
    "SealMarker",
    "SealResult",
    "ServerMetadata",
    "SessionCreate",
    "SessionTokens",
    "SignInExport",
    "SigningKeyInfo",
    "SigningKeyRotation",
    "Statement",
    "StatementLine",
    "StatementLineDirection",
    "Subscription",
    "SubscriptionCreate",
    "SubscriptionCreatePeriods",
    "SubscriptionList",
    "SuspensionCreate",
    "Thing",
    "ThingClaimStatus",
    "ThingClick",
    "ThingClickList",
    "ThingCounts",
    "ThingCreate",
    "ThingList",
    "ThingUpdate",
    "Transfer",
    "TransferCreate",
    "TransferList",
    "TransferStatus",
    "TrialBalance",
    "TrialBalanceLine",
    "TrialBalanceLineType",
    "TrialBalanceTotal",
    "WebhookAttempt",
    "WebhookAttemptList",
    "WebhookAttemptOutcome",
    "WebhookEndpoint",
    "WebhookEndpointCreate",
    "WebhookEndpointCreated",
    "WebhookEndpointList",
    "WebhookEndpointUpdate",
    "WebhookMessage",
    "WebhookMessageList",
    "WebhookMessageStatus",
    "WebhookRecoverRequest",
    "WebhookRecovery",
    "WebhookSecretRotation",
)
