/** Danish messages of the network of sites (issue 18), spread into `da`. */
export const networkDa = {
  network: {
    region: 'Hvor folk kan sendes hen',
    sendTo: 'Send folk til {site}',
    why: 'Her: {wait} min. ventetid, {queue} i kø',
    free: {
      injection: '{n} ledig injektionsplads | {n} ledige injektionspladser',
      inhalation: '{n} ledig rygeplads | {n} ledige rygepladser',
    },
    noQueue: 'ingen kø',
    queue: '{n} i kø',
    wait: 'ca. {n} min. ventetid',
    openUntil: 'åben til {time}',
    openAllDay: 'døgnåben',
    walk: '{n} min. gang',
    sentTo: 'Sendt til {site}',
    sendChoice: 'Sendt til et andet sted…',
    sendChoiceTitle: 'Gik fra køen: sendt til hvilket sted?',
    cancel: 'Annullér',
    didSend: 'Gik fra køen · sendt til {site}',
    sentToColumn: 'Sendt til {site}',
    settings: {
      title: 'Netværk af steder',
      intro: 'Steder i samme netværk, få minutters gang fra hinanden, foreslår hinanden når ét er fuldt, og personalet kan registrere at nogen blev sendt videre.',
      name: 'Netværkets navn',
      nameHint: 'Steder med samme navn udgør ét netværk (fx København). Tomt: ikke i et netværk.',
      walk: 'Minutters gang til {site}',
      threshold: 'Foreslå et andet sted når ventetiden passerer (min)',
      thresholdHint: 'Væggen og konsollen foreslår også et, når belastningen er travl eller værre. Standard 20.',
      none: 'Intet andet sted har dette netværksnavn endnu.',
    },
  },
};
