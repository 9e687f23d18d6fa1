extension ShippedNotices {
    static let subprocessors = #"""
---
id: subprocessors
kind: subprocessor_list
title: Subprocessors
version: 1
published: 2026-10-01
effective: 2026-10-01
needs-acknowledgement: no
---
# Subprocessors

The companies Handlet relies on to run the service for you. Each is bound by a written contract
at least as protective as our agreement with you. Transfers outside the UK rely on an adequacy
decision or the UK International Data Transfer Agreement.

| Service | What it does for Handlet | Data it handles | Where |
|---|---|---|---|
| Cloud hosting | Runs the platform and stores workspaces and recordings | All workspace data, encrypted at rest | United Kingdom |
| Telephony carrier | Connects calls to your number and carries the audio | Phone numbers, call audio in transit | United Kingdom |
| Speech recognition | Turns call audio into transcripts | Call audio, transcripts | European Union |
| Language model provider | Summarises calls and drafts replies | Transcripts and message text, not kept after the answer | European Union |
| SMS and WhatsApp gateway | Delivers and receives text messages | Phone numbers, message text | United Kingdom |
| Email delivery | Sends and receives email replies | Email addresses, message text | European Union |

Changes to this list are announced as *subprocessor change* notices at least 30 days ahead.
"""#

    static let retentionTable = #"""
---
id: retention-table
kind: retention_table
title: Retention periods by kind of data
version: 1
published: 2026-10-01
effective: 2026-10-01
needs-acknowledgement: no
---
# Retention periods

How long each kind of data stays in your workspace. Where a period is a workspace setting, you
choose it and handlet enforces it.

| Data | Kept for | Set by |
|---|---|---|
| Call recordings (audio) | **30 days** by default; any whole number of days from 1 to 730; none while recording is off | Workspace setting |
| Call transcripts and summaries | Until you delete them, unless you set a period | Workspace setting |
| Call metadata (number, time, outcome) | While the account is open | Handlet |
| Messages and attachments | While the account is open, unless you delete them | You |
| Contacts and consent records | While the account is open; consent records for 2 years after withdrawal | Handlet |
| Data-subject requests | 3 years after completion | Handlet |
| Audit log | 6 years; never rewritten | Handlet |
| Backups | Up to 35 days, then overwritten | Handlet |

A recording on *legal hold* is kept until the hold is released. After a purge, the call keeps its
metadata, summary and transcript; only the audio goes.
"""#

    static let callerPrivacyTemplate = #"""
---
id: caller-privacy-template
kind: privacy_notice
title: Privacy notice for callers (template)
version: 1
published: 2026-10-01
effective: 2026-10-01
needs-acknowledgement: no
---
# Privacy notice for callers: a template

Adapt this for your website and for the greeting your callers hear. Replace the parts in
*italics*. The greeting must tell every caller, before they say anything else, that:

1. they are speaking with an **AI assistant**, not a person; and
2. the call is **recorded** (if recording is on) and why.

## Suggested greeting

> You're through to *Business name*. I'm the firm's AI assistant and this call is recorded so we
> can deal with your request and check our service. How can I help?

## The notice

**Who we are.** *Business name*, *address*, is responsible for the personal data you give us when
you call or message us. Questions: *email address*.

**What we keep.** Your number, what you tell us, a recording of the call (kept *30 days*), a
written transcript and a summary, and the details of any job or quote.

**Why.** To answer your call, book or quote for the work you ask for, and follow up. Our lawful
basis is *taking steps towards a contract at your request* and, for recordings, *our legitimate
interest in checking the service*.

**Who helps us.** Our call-answering provider, Handlet, processes the call on our behalf under a
data processing agreement.

**Your rights.** You may ask for a copy of your data, ask us to correct or delete it, restrict or
object to its use, or take it elsewhere. We answer within **one month**. You may complain to the
Information Commissioner's Office (ico.org.uk).

**Marketing.** We send offers only if you agreed to them, and every text tells you how to stop:
reply *STOP*.
"""#
}
