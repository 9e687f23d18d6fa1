extension ShippedNotices {
    static let dpaVersion1 = #"""
---
id: handlet-dpa
kind: dpa
title: Data processing agreement
version: 1
published: 2025-04-01
effective: 2025-05-01
needs-acknowledgement: yes
---
# Data processing agreement (version 1)

This agreement covers the personal data that **your business** brings into Handlet: the calls our
AI agent answers, the messages your customers send, and everything derived from them.

## Who decides what

- For **your customers' data** (calls, recordings, transcripts, summaries, messages, job and
  quote details, reviews) your business is the *controller* and Handlet is the *processor*
  (UK GDPR Article 28).
- For your **account, billing and security data** Handlet usually decides for itself.

## What we do with your data

| Item | In short |
|---|---|
| Purpose | Run the features you switch on: answering calls, recording, transcribing, summarising, drafting and sending replies |
| People concerned | Your callers, customers, leads and staff, and anyone who writes to your business |
| Kinds of data | Names, numbers and addresses, message text and attachments, call audio, transcripts, call outcomes, technical identifiers, audit records |
| How long | While your account is open, then as the retention table says |

We act only on your documented instructions: this agreement, the settings you choose in the
product, the integrations you connect and the support requests you send. If we think an
instruction breaks data protection law we tell you.

## Our promises

1. Everyone at Handlet who can reach your data is bound to keep it confidential.
2. We protect it with suitable technical and organisational measures: role-based access, encryption
   in transit, audit records and monitoring.
3. We use subprocessors under your general authorisation and keep a current list of them.
4. We tell you about a personal data breach *without undue delay* once we know of it.
5. We help you answer your customers' requests and meet Articles 32 to 36.
6. When the service ends we delete or return your data, except what the law makes us keep.

## Recordings

Call recordings are kept **30 days** unless you set another valid period in the workspace or
turn recording off.

## Your part

- Have a lawful basis for each use of your customers' data.
- Tell callers that calls are recorded and answered by an AI assistant, and give the other
  privacy notices your customers need.
- Send marketing only where the rules allow it, and honour opt-outs.
- Keep account access to the people who need it.
- Do not collect special-category or criminal-offence data you do not need.

Questions: privacy@handlet.ai
"""#

    static let dpaVersion2 = #"""
---
id: handlet-dpa
kind: dpa
title: Data processing agreement
version: 2
published: 2026-10-01
effective: 2026-11-02
needs-acknowledgement: yes
---
# Data processing agreement (version 2)

This agreement covers the personal data that **your business** brings into Handlet: the calls our
AI agent answers, the messages your customers send on SMS, WhatsApp, email and **web chat**, and
everything derived from them.

## Who decides what

- For **your customers' data** (calls, recordings, transcripts, summaries, messages, job and
  quote details, reviews) your business is the *controller* and Handlet is the *processor*
  (UK GDPR Article 28).
- For your **account, billing and security data** Handlet usually decides for itself.

## What we do with your data

| Item | In short |
|---|---|
| Purpose | Run the features you switch on: answering calls, recording, transcribing, summarising, drafting and sending replies, including Auto-Send where you enable it |
| People concerned | Your callers, customers, leads and staff, and anyone who writes to your business |
| Kinds of data | Names, numbers and addresses, message text and attachments, call audio, transcripts, call outcomes, technical identifiers, audit records |
| How long | While your account is open, then as the retention table says |

We act only on your documented instructions: this agreement, the settings you choose in the
product, the integrations you connect and the support requests you send. If we think an
instruction breaks data protection law we tell you.

## Our promises

1. Everyone at Handlet who can reach your data is bound to keep it confidential.
2. We protect it with suitable technical and organisational measures: role-based access, encryption
   in transit, audit records and monitoring.
3. We use subprocessors under your general authorisation and keep a current list of them.
   - We announce a new or replacement subprocessor **at least 30 days** before it starts.
   - You may object during those 30 days; a change nobody objects to is treated as accepted.
4. We tell you about a personal data breach *without undue delay*, and **within 72 hours** of
   becoming aware of it, with what Article 33(3) asks for:
   - what happened, and roughly how many people and records;
   - who to contact;
   - the likely consequences;
   - what we have done or propose to do.
5. We help you answer your customers' requests and meet Articles 32 to 36.
6. When the service ends we delete or return your data, except what the law makes us keep.

## Recordings and transcripts

Call recordings are kept **30 days** unless you set another valid period (1 to 730 days) in the
workspace or turn recording off. Transcripts and summaries follow their own setting, separate
from the audio.

## Your part

- Have a lawful basis for each use of your customers' data.
- Tell callers that calls are recorded and answered by an AI assistant, and give the other
  privacy notices your customers need.
- Send marketing only where the rules allow it, and honour opt-outs.
- Configure Auto-Send and connected channels lawfully.
- Keep account access to the people who need it.
- Do not collect special-category or criminal-offence data you do not need.

Questions: privacy@handlet.ai
"""#
}
