// The texts the SOAP endpoint writes itself, in the language of the
// call context's codeLang (ENG or FRA; any other code gets ENG). The
// business-rule texts of rules.ts stay English, as on the other routes.

export type Lang = 'ENG' | 'FRA';

type Text = (...args: string[]) => string;

const ENG = {
  duplicate: (ref, num) =>
    `Reference ${ref} already registered in document ${num}`,
  unpublished: (name) => `Web service ${name} unknown (not published)`,
  poolEmpty: (pool) => `Pool ${pool} : no web service child process available`,
  notFound: (key) => `${key} : Record does not exist`,
  notOffered: (op, name) =>
    `${op} : operation not available on web service ${name}`,
  posted: (num) => `${num} : posted document, change not allowed`,
  unknownGroup: (id, name) => `${id} : group unknown in web service ${name}`,
  badObjectXml: (why) => `objectXml : XML not valid (${why})`,
  badDate: (field, value) =>
    `${field} ${value} : invalid date, YYYYMMDD expected`,
  keyMissing: (key) => `${key} : key missing`,
  unknownKey: (key) => `${key} : unknown key`,
  tooLong: (field, n, max) => `${field} : ${n} characters, maximum ${max}`,
  tooMany: (field, n, max) => `${field} : ${n} items, maximum ${max}`,
  customerUsed: (code) =>
    `Customer ${code} : used in documents, deletion not allowed`,
  no: () => 'No',
  temporary: () => 'Temporary',
  real: () => 'Real',
} satisfies Record<string, Text>;

export type MessageId = keyof typeof ENG;

const FRA: Record<MessageId, Text> = {
  duplicate: (ref, num) =>
    `Référence ${ref} déjà enregistrée dans le document ${num}`,
  unpublished: (name) => `Service web ${name} inconnu (non publié)`,
  poolEmpty: (pool) =>
    `Pool ${pool} : aucun processus enfant de service web disponible`,
  notFound: (key) => `${key} : Fiche inexistante`,
  notOffered: (op, name) =>
    `${op} : opération non disponible sur le service web ${name}`,
  posted: (num) => `${num} : document comptabilisé, modification interdite`,
  unknownGroup: (id, name) =>
    `${id} : groupe inconnu dans le service web ${name}`,
  badObjectXml: (why) => `objectXml : XML non valide (${why})`,
  badDate: (field, value) =>
    `${field} ${value} : date invalide, AAAAMMJJ attendu`,
  keyMissing: (key) => `${key} : clé manquante`,
  unknownKey: (key) => `${key} : clé inconnue`,
  tooLong: (field, n, max) => `${field} : ${n} caractères, maximum ${max}`,
  tooMany: (field, n, max) => `${field} : ${n} éléments, maximum ${max}`,
  customerUsed: (code) =>
    `Client ${code} : utilisé dans des documents, suppression interdite`,
  no: () => 'Non',
  temporary: () => 'Provisoire',
  real: () => 'Réelle',
};

export function language(codeLang: string): Lang {
  return codeLang.trim().toUpperCase() === 'FRA' ? 'FRA' : 'ENG';
}

export function say(lang: Lang, id: MessageId, ...args: string[]): string {
  return (lang === 'FRA' ? FRA : ENG)[id](...args);
}
