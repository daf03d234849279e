import Foundation

/// The tag screens' words.
extension ConsoleWords {
    var search: String { fr ? "Rechercher" : "Search" }
    var searchHint: String { fr ? "Nom, code ou adresse (début des mots)" : "Name, ID or address (start of words)" }
    var tagID: String { fr ? "Code" : "ID" }
    var tagName: String { fr ? "Nom" : "Name" }
    var state: String { fr ? "État" : "State" }
    var enabled: String { fr ? "Actif" : "Enabled" }
    var disabled: String { fr ? "Désactivé" : "Disabled" }
    var printed: String { fr ? "Imprimé" : "Printed" }
    var encoded: String { fr ? "Puce NFC" : "NFC encoded" }
    var yes: String { fr ? "Oui" : "Yes" }
    var no: String { fr ? "Non" : "No" }
    var noTags: String { fr ? "Aucun code ne correspond." : "No tag matches." }
    var newTag: String { fr ? "Nouveau code" : "New tag" }
    var importTags: String { fr ? "Importer" : "Import" }
    /// `exact` false: more than `total` tags match (counting stopped there).
    func tagsFound(_ total: Int, _ first: Int, _ last: Int, exact: Bool = true) -> String {
        if total == 0 { return noTags }
        if exact { return fr ? "\(first)–\(last) sur \(total) codes" : "\(first)–\(last) of \(total) tags" }
        return fr ? "\(first)–\(last) sur plus de \(total) codes" : "\(first)–\(last) of more than \(total) tags"
    }
    func tagsBeyond(_ total: Int) -> String {
        fr ? "\(total) codes correspondent ; cette page est au-delà de la dernière." : "\(total) tags match; this page is past the last one."
    }
    func pageOf(_ page: Int, _ pages: Int) -> String { fr ? "Page \(page) sur \(pages)" : "Page \(page) of \(pages)" }
    /// Page `page` of more than `pages`.
    func pageOfMany(_ page: Int, _ pages: Int) -> String {
        fr ? "Page \(page) sur plus de \(pages)" : "Page \(page) of more than \(pages)"
    }
    func deleted(_ id: String) -> String { fr ? "Code \(id) supprimé." : "Tag \(id) deleted." }
    func imported(_ count: Int) -> String { fr ? "\(count) codes importés." : "\(count) tags imported." }
    var saved: String { fr ? "Enregistré." : "Saved." }

    var target: String { fr ? "Destination" : "Target" }
    var schedule: String { fr ? "Programmation" : "Schedule" }
    var notes: String { fr ? "Notes" : "Notes" }
    var created: String { fr ? "Créé" : "Created" }
    var updated: String { fr ? "Modifié" : "Updated" }
    var noSchedule: String { fr ? "Aucune fenêtre : la destination s’applique toujours." : "No window: the target always applies." }
    var qrCode: String { fr ? "Code QR" : "QR code" }
    var sizeMM: String { fr ? "Largeur (mm)" : "Width (mm)" }
    var download: String { fr ? "Télécharger" : "Download" }
    var format: String { fr ? "Format" : "Format" }
    var bindings: String { fr ? "Supports" : "Bindings" }
    var noBindings: String { fr ? "Ni impression ni puce enregistrée." : "No print batch or chip recorded." }
    var batch: String { fr ? "Lot d’impression" : "Print batch" }
    var chipUID: String { fr ? "UID de la puce" : "Chip UID" }
    var chipType: String { fr ? "Type de puce" : "Chip type" }
    var encodedAt: String { fr ? "Encodée le" : "Encoded" }
    var recordedAt: String { fr ? "Enregistré le" : "Recorded" }
    var chipVerification: String { fr ? "Vérification des puces" : "Chip verification" }
    var noChipTaps: String {
        fr ? "Aucun toucher vérifié ni contrôlé pour l’instant (NTAG 424 DNA sécurisé, ou compteur NTAG21x)."
            : "No verified or checked tap yet (secure NTAG 424 DNA, or NTAG21x counter mirror)."
    }
    var lastVerified: String { fr ? "Dernier toucher accepté" : "Last accepted tap" }
    var counter: String { fr ? "Compteur" : "Counter" }
    var accepted: String { fr ? "Acceptés" : "Accepted" }
    var replays: String { fr ? "Rejoués" : "Replays" }
    var badMACs: String { fr ? "MAC faux" : "Bad MACs" }
    var wrongChips: String { fr ? "Mauvaise puce" : "Wrong chip" }
    var lastOne: String { fr ? "dernier" : "last" }
    var lastFailure: String { fr ? "dernier échec" : "last failure" }
    /// The copy warning: a 424 DNA's refused links are copied links; a 21x whose counter stalls may be a cloned sticker.
    func mayBeCopy(_ uid: String, secure: Bool, replays: Int64, rewinds: Int64) -> String {
        if secure {
            return fr
                ? "Puce \(uid) : un lien déjà utilisé est revenu \(replays) fois (\(rewinds) plus anciens que le dernier accepté). Quelqu’un a peut-être copié le lien de cet autocollant ; ces touchers n’ont pas été acceptés."
                : "Chip \(uid): a link already used came back \(replays) times (\(rewinds) older than the last accepted one). Someone may have copied this sticker’s link; those taps were not accepted."
        }
        return fr
            ? "Puce \(uid) : le compteur n’a pas avancé \(replays) fois (\(rewinds) fois en arrière). Cet autocollant est peut-être une copie : à vérifier sur place."
            : "Chip \(uid): the counter did not move forward \(replays) times (\(rewinds) times backwards). This sticker may be a copy: check it on site."
    }
    var scans: String { fr ? "Scans par jour (90 jours)" : "Scans per day (90 days)" }
    func scanTotal(_ total: Int64) -> String { fr ? "\(total) scans en 90 jours" : "\(total) scans in 90 days" }
    var history: String { fr ? "Historique" : "History" }
    var noHistory: String { fr ? "Aucune modification enregistrée." : "No change recorded." }
    var when: String { fr ? "Quand" : "When" }
    var who: String { fr ? "Qui" : "Who" }
    var action: String { fr ? "Action" : "Action" }
    var preview: String { fr ? "Aperçu : que montre ce code" : "Preview: what this tag shows" }
    var date: String { fr ? "Date" : "Date" }
    var time: String { fr ? "Heure" : "Time" }
    var show: String { fr ? "Voir" : "Show" }
    func previewAnswer(_ local: String) -> String { fr ? "Le \(local), ce code montre :" : "On \(local) this tag shows:" }
    func fromWindow(_ from: String, _ to: String) -> String { fr ? "fenêtre \(from) – \(to)" : "window \(from) – \(to)" }
    var fallback: String { fr ? "la destination par défaut (hors fenêtre)" : "the fallback target (outside every window)" }
    var badPreview: String {
        fr ? "Date ou heure invalide : AAAA-MM-JJ et HH:MM." : "Invalid date or time: use YYYY-MM-DD and HH:MM."
    }

    var retarget: String { fr ? "Changer la destination" : "Change the target" }
    var delete: String { fr ? "Supprimer" : "Delete" }
    var deleteWarning: String {
        fr ? "Supprime le code, ses supports et ses scans restent dans l’historique. Irréversible."
            : "Deletes the tag and its bindings; the history keeps the change. Cannot be undone."
    }
    var disableMessage: String { fr ? "Message montré à qui scanne" : "Message shown to people who scan it" }
    var enableHint: String {
        fr ? "Rétablit la destination et la programmation d’avant la désactivation."
            : "Restores the target and schedule the tag had before it was disabled."
    }
    var notDisabled: String { fr ? "Ce code n’est pas désactivé." : "This tag is not disabled." }
    var nothingToRestore: String {
        fr ? "Aucune destination antérieure connue : choisissez-en une avec « Changer la destination »."
            : "No earlier target is known: choose one with “Change the target”."
    }
    var url: String { "URL" }
    var pageTitle: String { fr ? "Titre de la page" : "Page title" }
    var pageText: String { fr ? "Texte (lignes vides entre paragraphes)" : "Text (blank lines between paragraphs)" }
    var pageLinks: String { fr ? "Liens, un par ligne : titre puis URL" : "Links, one a line: title then URL" }
    var message: String { fr ? "Message" : "Message" }
    var stop: String { fr ? "Arrêt (flux/arrêt, ex. carta/1565)" : "Stop (feed/stop, e.g. carta/1565)" }
    var placeJSON: String { fr ? "Lieu (JSON : text, links, hours)" : "Place (JSON: text, links, hours)" }
    var targetHint: String {
        fr ? "Remplissez le champ du type choisi ; les autres sont ignorés." : "Fill in the field of the chosen kind; the others are ignored."
    }
    var scheduleHint: String {
        fr ? "Une fenêtre par ligne, heure locale : DÉBUT FIN TYPE VALEUR, ex. 2026-06-13T08:00 2026-06-14T20:00 url https://… (page et place : VALEUR en JSON)."
            : "One window a line, local time: FROM TO KIND VALUE, e.g. 2026-06-13T08:00 2026-06-14T20:00 url https://… (page and place: VALUE as JSON)."
    }
    var idHint: String { fr ? "vide : tiré au hasard" : "empty: a random one" }
    var create: String { fr ? "Créer" : "Create" }

    var importHint: String {
        fr ? "Fichier CSV (id,name,url ou kind,target,lat,lon,address,notes) ou JSON (tableau de codes). Rien n’est importé tant qu’une ligne est fausse."
            : "A CSV file (id,name,url or kind,target,lat,lon,address,notes) or JSON (an array of tags). Nothing is imported while any row is wrong."
    }
    var file: String { fr ? "Fichier" : "File" }
    var noFile: String { fr ? "Choisissez un fichier." : "Choose a file." }
    func importRejected(_ count: Int) -> String {
        fr ? "Import refusé, rien n’a été importé : \(count) problème(s)." : "Import rejected, nothing was imported: \(count) problem(s)."
    }
    var line: String { fr ? "Ligne" : "Line" }
    var reason: String { fr ? "Raison" : "Reason" }
}
