/** Source, minimum level and text: the same three filters for the tail and the archive search. */
export function FilterFields({ idPrefix }: { idPrefix: string }) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-source`}>Source</label>
        <input id={`${idPrefix}-source`} name="source" placeholder="any service" pattern="[a-zA-Z0-9._\-]{1,128}" />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-level`}>Level at least</label>
        <select id={`${idPrefix}-level`} name="level" defaultValue="">
          <option value="">any</option>
          <option value="INFO">INFO</option>
          <option value="WARN">WARN</option>
          <option value="ERROR">ERROR</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-q`}>Text</label>
        <input id={`${idPrefix}-q`} name="q" maxLength={200} placeholder="in the message" />
      </div>
    </>
  );
}
