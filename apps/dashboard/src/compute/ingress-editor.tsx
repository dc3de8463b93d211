import type { IngressRule } from '@edd/api-client';
import { useRef, useState, type FormEvent } from 'react';
import { useAddIngressRule, useDeleteIngressRule, useIngressRules } from '../api/compute-queries';
import { ConfirmButton } from '../components/confirm-button';
import { DataTable, type Column } from '../components/data-table';
import { Field } from '../components/field';
import { Panel } from '../components/panel';
import { ErrorNotice, QueryState } from '../components/query-state';
import { useContainerOfPage } from './container-page';
import { ingressPortProblem, ingressUrl, isTargetPort } from './ingress-url';

const ruleColumns: ReadonlyArray<Column<IngressRule>> = [
  { header: 'Target port', cell: (rule) => rule.target_port },
  { header: 'Protocol', cell: (rule) => (rule.protocol === 'tls' ? 'TLS passthrough' : 'HTTP') },
  {
    header: 'URL',
    wrap: true,
    cell: (rule) => (
      <a href={rule.url} target="_blank" rel="noreferrer" className="mono" data-testid="ingress-url">
        {rule.url}
      </a>
    ),
  },
];

/** The container's ingress rules: external port → port inside, each with the URL it answers at. */
export function IngressEditor() {
  const container = useContainerOfPage();
  const rules = useIngressRules(container.id);
  const remove = useDeleteIngressRule(container.id);
  return (
    <Panel
      title="Ingress rules"
      description="Open an external port (80, 443 or 8000–8999) to a port inside the container. 443 is passed through as TLS: the container serves its own certificate."
    >
      <AddIngressRuleForm containerId={container.id} hostname={container.hostname} />
      {remove.isError && <ErrorNotice error={remove.error} />}
      <QueryState query={rules} label="Loading ingress rules…">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No ports are open: the container is reachable only over SSH and the terminal.</p>
          ) : (
            <DataTable
              caption="Ingress rules"
              rows={list}
              rowKey={(rule) => String(rule.port)}
              rowHeader={{ header: 'External port', cell: (rule) => rule.port }}
              columns={ruleColumns}
              actions={(rule) => (
                <ConfirmButton
                  label="Remove"
                  subject={`ingress rule for port ${rule.port}`}
                  text="Remove"
                  pending={remove.isPending && remove.variables === rule.port}
                  onConfirm={() => remove.mutate(rule.port)}
                />
              )}
            />
          )
        }
      </QueryState>
    </Panel>
  );
}

function AddIngressRuleForm({ containerId, hostname }: { containerId: string; hostname: string }) {
  const add = useAddIngressRule(containerId);
  const [port, setPort] = useState('');
  const [target, setTarget] = useState('');
  // The submit button is disabled once the form is cleared: the focus goes back to the first field instead of nowhere.
  const portField = useRef<HTMLInputElement>(null);
  const external = Number(port);
  const inside = target.trim() ? Number(target) : external;
  const portProblem = port.trim() ? ingressPortProblem(external) : undefined;
  const targetProblem = target.trim() && !isTargetPort(inside) ? 'Target port must be 1–65535.' : undefined;
  const ready = Boolean(port.trim()) && !portProblem && !targetProblem;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    add.mutate(
      { port: external, ...(target.trim() ? { target_port: inside } : {}) },
      {
        onSuccess: () => {
          setPort('');
          setTarget('');
          portField.current?.focus();
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Add an ingress rule">
      <div className="form-row">
        <Field
          label="External port"
          ref={portField}
          type="number"
          inputMode="numeric"
          value={port}
          onChange={(e) => setPort(e.target.value)}
          required
          aria-invalid={portProblem ? true : undefined}
          hint={portProblem ?? '80, 443 or 8000–8999.'}
        />
        <Field
          label="Target port"
          type="number"
          inputMode="numeric"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          aria-invalid={targetProblem ? true : undefined}
          hint={targetProblem ?? 'Inside the container; empty: the same as the external port.'}
        />
      </div>
      {ready && (
        <p className="muted">
          Will answer at <span className="mono">{ingressUrl(hostname, external)}</span>
          {inside !== external && ` (port ${inside} inside)`}.
        </p>
      )}
      {add.isError && <ErrorNotice error={add.error} />}
      <div className="form-actions">
        <button type="submit" className="button" disabled={add.isPending || !ready}>
          {add.isPending ? 'Adding…' : 'Add rule'}
        </button>
      </div>
    </form>
  );
}
